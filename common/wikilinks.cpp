#include "wikilinks.h"

#include <QRegularExpression>
#include <QSet>
#include <QVariantMap>

namespace Pyrite {

namespace {
// Code is documentation of the syntax, not links: blanked out, keeping every line break.
QString withoutCode(QStringView body)
{
    QString text = body.toString();
    static const QRegularExpression fenced(QStringLiteral("^(```|~~~).*?^\\1[ \\t]*$"),
                                           QRegularExpression::MultilineOption |
                                                   QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression inlineCode(QStringLiteral("``[^`\\n]+?``|`[^`\\n]+?`"));
    for (const QRegularExpression *code : {&fenced, &inlineCode}) {
        QRegularExpressionMatchIterator it = code->globalMatch(text);
        QList<QPair<qsizetype, qsizetype>> spans;
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            spans.append({match.capturedStart(), match.capturedLength()});
        }
        for (const auto &[start, length] : std::as_const(spans)) {
            for (qsizetype i = start; i < start + length; ++i) {
                if (text.at(i) != u'\n')
                    text[i] = u' ';
            }
        }
    }
    return text;
}

bool isValidTarget(const QString &target)
{
    static const QRegularExpression invalid(QStringLiteral("[/\\\\`\\s]"));
    return !target.isEmpty() && !invalid.match(target).hasMatch();
}
} // namespace

QList<WikiLinks::Link> WikiLinks::extract(QStringView body, QStringView ownId)
{
    QList<Link> links;
    if (!body.contains(QLatin1String("[[")))
        return links; // the common case costs one scan
    static const QRegularExpression wikilink(
            QStringLiteral("\\[\\[(?:([a-z0-9-]+):)?([^\\]|#^]+?)(?:#[^\\]|^]+?)?(?:\\^[^\\]|]+?)?("
                           "?:\\|[^\\]]+?)?\\]\\]"));
    QSet<QString> seen;
    QRegularExpressionMatchIterator it = wikilink.globalMatch(withoutCode(body));
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString target = match.captured(2).trimmed();
        if (!isValidTarget(target) || target == ownId || seen.contains(target))
            continue;
        seen.insert(target);
        links.append({target, match.captured(1)});
    }
    return links;
}

QVariantList WikiLinks::asLinks(QStringView body, QStringView ownId, const QVariantList &existing)
{
    QSet<QString> targets;
    for (const QVariant &link : existing)
        targets.insert(link.toMap().value(QStringLiteral("target")).toString());
    QVariantList links;
    for (const Link &link : extract(body, ownId)) {
        if (targets.contains(link.target))
            continue;
        QVariantMap item{{QStringLiteral("target"), link.target},
                         {QStringLiteral("relation"), QStringLiteral("wikilink")}};
        if (!link.kb.isEmpty())
            item.insert(QStringLiteral("kb"), link.kb);
        links.append(item);
    }
    return links;
}

} // namespace Pyrite

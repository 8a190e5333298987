#include "frontmatter.h"

#include "commontr.h"

#include "yamldocument.h"

#include <QCoreApplication>

namespace Pyrite {

namespace {

bool isScalar(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
    case QMetaType::LongLong:
    case QMetaType::Double:
    case QMetaType::Bool:
        return true;
    default:
        return false;
    }
}

// The line after the opening "---" where the closing "---" (or "...") starts; -1 when missing.
qsizetype findClosingMarker(const QByteArray &content, qsizetype from, qsizetype *blockEnd)
{
    qsizetype lineStart = from;
    while (lineStart < content.size()) {
        qsizetype lineEnd = content.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = content.size();
        QByteArrayView line(content.constData() + lineStart, lineEnd - lineStart);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line == "---" || line == "...") {
            *blockEnd = lineStart;
            return lineEnd < content.size() ? lineEnd + 1 : lineEnd;
        }
        lineStart = lineEnd + 1;
    }
    return -1;
}

} // namespace

bool FrontMatter::parse(const QByteArray &content, const QString &fileName,
                        const QString &defaultId, KbEntry *entry, QString *errorString)
{
    const auto fail = [&](int line, const QString &message) {
        if (errorString)
            *errorString = line > 0
                    ? QStringLiteral("%1:%2: %3").arg(fileName).arg(line).arg(message)
                    : QStringLiteral("%1: %2").arg(fileName, message);
        return false;
    };
    QByteArrayView text(content);
    if (text.startsWith("\xEF\xBB\xBF"))
        text = text.sliced(3);
    if (text.contains('\0'))
        return fail(0, CommonTr::tr("not a text file (it contains NUL bytes)"));
    // Checked without decoding: only the body is decoded, once, below.
    if (!text.isValidUtf8())
        return fail(0, CommonTr::tr("not UTF-8 text"));

    *entry = KbEntry();
    entry->id = defaultId;
    entry->type = defaultType();
    const QByteArray bytes = text.toByteArray();
    qsizetype bodyStart = 0;
    if (bytes.startsWith("---\n") || bytes.startsWith("---\r\n")) {
        const qsizetype blockStart = bytes.indexOf('\n') + 1;
        qsizetype blockEnd = -1;
        bodyStart = findClosingMarker(bytes, blockStart, &blockEnd);
        if (bodyStart < 0)
            return fail(
                    1,
                    CommonTr::tr("the front matter is not closed (no \"---\" line after line 1)"));
        YamlDocument yaml;
        QString yamlError;
        if (!yaml.loadFromData(bytes.mid(blockStart, blockEnd - blockStart), fileName, &yamlError,
                               1)) {
            if (errorString)
                *errorString = yamlError;
            return false;
        }
        const QVariant root = yaml.root();
        if (root.isValid() && root.typeId() != QMetaType::QVariantMap)
            return fail(2, CommonTr::tr("the front matter is not a map of fields"));
        entry->fields = root.toMap();
        const auto lineOf = [&yaml](const QString &key) {
            return yaml.lineOf(key);
        };
        const auto text = [&](const QString &key, QString *value) {
            const QVariant field = entry->fields.value(key);
            if (!field.isValid())
                return true;
            if (!isScalar(field))
                return fail(lineOf(key),
                            CommonTr::tr("%1 must be a text, not a list or map").arg(key));
            *value = field.toString().trimmed();
            return true;
        };
        if (!text(QStringLiteral("id"), &entry->id) ||
            !text(QStringLiteral("title"), &entry->title) ||
            !text(QStringLiteral("type"), &entry->type))
            return false;
        if (entry->id.isEmpty())
            return fail(lineOf(QStringLiteral("id")), CommonTr::tr("id is empty"));
        if (entry->type.isEmpty())
            entry->type = defaultType();

        const QVariant tags = entry->fields.value(QStringLiteral("tags"));
        if (tags.typeId() == QMetaType::QVariantList) {
            const QVariantList items = tags.toList();
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QString path = QStringLiteral("tags[%1]").arg(i);
                if (!isScalar(items.at(i)))
                    return fail(lineOf(path), CommonTr::tr("%1 must be a text").arg(path));
                entry->tags.append(items.at(i).toString());
            }
        } else if (isScalar(tags)) {
            // "tags: a, b" is common in hand-written front matter.
            for (const QString &tag : tags.toString().split(u',', Qt::SkipEmptyParts))
                entry->tags.append(tag.trimmed());
        } else if (tags.isValid()) {
            return fail(lineOf(QStringLiteral("tags")), CommonTr::tr("tags must be a list"));
        }

        const QVariant links = entry->fields.value(QStringLiteral("links"));
        if (links.isValid() && links.typeId() != QMetaType::QVariantList)
            return fail(lineOf(QStringLiteral("links")), CommonTr::tr("links must be a list"));
        const QVariantList items = links.toList();
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString path = QStringLiteral("links[%1]").arg(i);
            const QVariant item = items.at(i);
            QString target;
            QString relation = QStringLiteral("related");
            if (isScalar(item)) {
                target = item.toString().trimmed();
            } else if (item.typeId() == QMetaType::QVariantMap) {
                const QVariantMap link = item.toMap();
                if (!isScalar(link.value(QStringLiteral("target"))))
                    return fail(lineOf(path), CommonTr::tr("%1: a link needs a target").arg(path));
                target = link.value(QStringLiteral("target")).toString().trimmed();
                if (isScalar(link.value(QStringLiteral("relation"))))
                    relation = link.value(QStringLiteral("relation")).toString().trimmed();
            } else {
                return fail(lineOf(path),
                            CommonTr::tr("%1: a link is a target or a map with target and "
                                         "relation")
                                    .arg(path));
            }
            if (target.isEmpty())
                return fail(lineOf(path), CommonTr::tr("%1: a link needs a target").arg(path));
            entry->links.append(QVariantMap{{QStringLiteral("target"), target},
                                            {QStringLiteral("relation"), relation}});
        }
    }
    entry->body = QString::fromUtf8(bytes.constData() + bodyStart, bytes.size() - bodyStart);
    const QString &body = entry->body;
    if (entry->title.isEmpty()) {
        // Like Pyrite: the first heading, else the id.
        for (QStringView line : QStringView(body).split(u'\n')) {
            if (line.startsWith(u"# ")) {
                entry->title = line.mid(2).trimmed().toString();
                break;
            }
        }
        if (entry->title.isEmpty())
            entry->title = entry->id;
    }
    return true;
}

} // namespace Pyrite

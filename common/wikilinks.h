#pragma once

#include <QList>
#include <QString>
#include <QStringView>
#include <QVariantList>

namespace Pyrite {

// [[wikilinks]] in an entry's body, as Pyrite's index reads them (pyrite/storage/index.py): the
// forms [[target]], [[kb:target]], [[target#heading]], [[target^block]] and [[target|text]]
// (![[target]] too); nothing inside fenced code blocks or inline code; no target with a slash,
// a backslash, a backtick or white space in it.
class WikiLinks
{
public:
    struct Link
    {
        QString target;
        QString kb; // from a "kb:" prefix; empty: the entry's own KB
        bool operator==(const Link &other) const
        {
            return target == other.target && kb == other.kb;
        }
    };

    // In order of appearance, each target once, the entry's own id left out.
    static QList<Link> extract(QStringView body, QStringView ownId = {});
    // The same as event links, {"target", "relation": "wikilink"[, "kb"]}, leaving out targets
    // that `existing` (links as events have them) already has.
    static QVariantList asLinks(QStringView body, QStringView ownId, const QVariantList &existing);
};

} // namespace Pyrite

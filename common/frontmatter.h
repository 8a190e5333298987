#pragma once

#include "kbentry.h"

#include <QByteArray>
#include <QString>

namespace Pyrite {

// Reads a markdown entry: YAML front matter between "---" lines, then the body. Errors name the
// file and the line ("notes/a.md:4: links[1]: a link needs a target").
class FrontMatter
{
public:
    // defaultId is the entry's id when the front matter has none (Pyrite uses the file name).
    static bool parse(const QByteArray &content, const QString &fileName, const QString &defaultId,
                      KbEntry *entry, QString *errorString);

    // The type of an entry whose front matter names none.
    static QString defaultType() { return QStringLiteral("note"); }
};

} // namespace Pyrite

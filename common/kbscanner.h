#pragma once

#include "kbentry.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Pyrite {

// Reads every markdown entry of a knowledge-base folder. One bad file never stops a scan: it is
// reported (file and line) and skipped.
class KbScanner
{
public:
    // A bigger markdown file is not an entry we index (Pyrite's entries are notes, not dumps).
    static constexpr qint64 MaxFileBytes = 1024 * 1024;

    struct File
    {
        QString path; // absolute
        qint64 modifiedMs = 0;
        qint64 size = 0;
        KbEntry entry;
    };
    struct Result
    {
        QList<File> files; // sorted by path; ids are unique
        QStringList problems;
        int scanned = 0; // markdown files looked at, the skipped ones included
    };

    // Entries are "*.md" files below folder; hidden folders (.git) are not entered.
    static Result scan(const QString &folder);
    static bool isEntryFile(const QString &path);
    // The entry files below folder, sorted; hidden files and folders are left out.
    static QStringList entryPaths(const QString &folder);
    // One file; false with a message naming the file (and line) when it is not a usable entry.
    static bool readFile(const QString &path, File *file, QString *errorString);
};

} // namespace Pyrite

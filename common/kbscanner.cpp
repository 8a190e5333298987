#include "kbscanner.h"

#include "commontr.h"

#include "frontmatter.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>

namespace Pyrite {

bool KbScanner::isEntryFile(const QString &path)
{
    return path.endsWith(QLatin1String(".md")) && !QFileInfo(path).fileName().startsWith(u'.');
}

bool KbScanner::readFile(const QString &path, File *file, QString *errorString)
{
    QFile device(path);
    if (!device.open(QIODevice::ReadOnly)) {
        if (errorString)
            *errorString = CommonTr::tr("%1: cannot read: %2").arg(path, device.errorString());
        return false;
    }
    const QFileInfo info(device);
    if (info.size() > MaxFileBytes) {
        if (errorString)
            *errorString = CommonTr::tr("%1: too large for an entry (%2 bytes, at most %3)")
                                   .arg(path)
                                   .arg(info.size())
                                   .arg(MaxFileBytes);
        return false;
    }
    // Read one byte past the cap: the file may have grown since it was looked at.
    const QByteArray content = device.read(MaxFileBytes + 1);
    if (content.size() > MaxFileBytes) {
        if (errorString)
            *errorString = CommonTr::tr("%1: too large for an entry (more than %2 bytes)")
                                   .arg(path)
                                   .arg(MaxFileBytes);
        return false;
    }
    file->path = path;
    file->size = content.size();
    file->modifiedMs = info.lastModified().toMSecsSinceEpoch();
    return FrontMatter::parse(content, path, info.completeBaseName(), &file->entry, errorString);
}

QStringList KbScanner::entryPaths(const QString &folder)
{
    QStringList paths;
    // Hidden entries are skipped by the filter, so .git and the like are never entered.
    QDirIterator it(folder, {QStringLiteral("*.md")},
                    QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (it.fileInfo().isFile())
            paths.append(path);
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

KbScanner::Result KbScanner::scan(const QString &folder)
{
    Result result;
    const QFileInfo root(folder);
    if (!root.isDir()) {
        result.problems.append(root.exists()
                                       ? CommonTr::tr("%1: not a folder").arg(folder)
                                       : CommonTr::tr("%1: folder does not exist").arg(folder));
        return result;
    }
    const QStringList paths = entryPaths(root.absoluteFilePath());
    result.files.reserve(paths.size());
    QHash<QString, QString> pathOfId;
    for (const QString &path : std::as_const(paths)) {
        ++result.scanned;
        File file;
        QString error;
        if (!readFile(path, &file, &error)) {
            result.problems.append(error);
            continue;
        }
        const auto known = pathOfId.constFind(file.entry.id);
        if (known != pathOfId.cend()) {
            result.problems.append(CommonTr::tr("%1: id \"%2\" is already the id of %3; skipped")
                                           .arg(path, file.entry.id, known.value()));
            continue;
        }
        pathOfId.insert(file.entry.id, path);
        result.files.append(std::move(file));
    }
    return result;
}

} // namespace Pyrite

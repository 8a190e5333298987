#include "privatepath.h"

#include "commontr.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

namespace Pyrite {

namespace {

Q_LOGGING_CATEGORY(lcPaths, "pyrite.paths", QtInfoMsg)

constexpr QFile::Permissions OtherUsers = QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

void dropOtherUsers(const QString &path)
{
    const QFile::Permissions permissions = QFile::permissions(path);
    if (!(permissions & OtherUsers))
        return;
    if (QFile::setPermissions(path, permissions & ~OtherUsers))
        qCInfo(lcPaths).noquote() << "made" << path << "unreadable for other users";
    else
        qCWarning(lcPaths).noquote() << path
                                     << "is readable by other users and its mode cannot "
                                        "be changed; events in it are visible to them";
}

} // namespace

bool PrivatePath::makeFolder(const QString &path, QString *errorString)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // The missing ancestors, outermost first, to make private as they are made.
    QStringList missing;
    for (QString folder = absolute; !QFileInfo::exists(folder);
         folder = QFileInfo(folder).absolutePath()) {
        missing.prepend(folder);
        if (folder == QFileInfo(folder).absolutePath())
            break;
    }
    const QFile::Permissions owner = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    for (const QString &folder : std::as_const(missing)) {
        if (!QDir().mkdir(folder, owner) && !QFileInfo(folder).isDir()) {
            if (errorString)
                *errorString = CommonTr::tr("cannot create the folder %1").arg(folder);
            return false;
        }
    }
    if (!QFileInfo(absolute).isDir()) {
        if (errorString)
            *errorString = CommonTr::tr("%1 is not a folder").arg(absolute);
        return false;
    }
    // An existing folder stays as it is: the user chose it, and it may hold more than ours.
    return true;
}

bool PrivatePath::makeFile(const QString &path, QString *errorString)
{
    QFile file(path);
    if (file.exists()) {
        dropOtherUsers(path);
        return true;
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                   QFile::ReadOwner | QFile::WriteOwner)) {
        if (file.exists())
            return true; // another process made it meanwhile
        if (errorString)
            *errorString = CommonTr::tr("cannot create %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace Pyrite

#pragma once

#include <QString>

namespace Pyrite {

// Folders and files that hold events, and events may carry any entry's text: only their owner
// may read them. Created folders and files get 0700 and 0600; an existing file loses the bits
// of other users (the group's are left: a group may be meant to share it). Existing folders are
// left as they are: the user chose them, and they may hold more than ours. SQLite gives its -wal
// and -shm files the database file's mode.
class PrivatePath
{
public:
    // mkpath(path), the folders it creates 0700. False with a message when it cannot be made.
    static bool makeFolder(const QString &path, QString *errorString);
    // Creates an empty file at path with 0600 when there is none (SQLite takes an empty file as
    // a new database). False with a message when it cannot be made.
    static bool makeFile(const QString &path, QString *errorString);
};

} // namespace Pyrite

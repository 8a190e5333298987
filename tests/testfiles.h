#pragma once

#include <QDir>
#include <QFile>
#include <QFileInfo>

// Writes content to path, creating its folder; returns the path, or an empty string on failure.
inline QString writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.write(content);
    return path;
}

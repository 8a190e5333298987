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

// A "billion laughs" in YAML: key: &l0 [x, x, …] nine times, then each level a list of nine
// aliases of the one before, under key, indented by indent spaces. levels 9 is 9^9 values.
inline QByteArray yamlLaughs(const QByteArray &key, int levels, int indent = 0)
{
    const QByteArray pad(indent, ' ');
    QByteArray yaml = pad + key + ":\n";
    yaml += pad + "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int level = 1; level < levels; ++level) {
        const QByteArray previous = "*l" + QByteArray::number(level - 1);
        QByteArray items;
        for (int i = 0; i < 9; ++i)
            items += (i ? ", " : "") + previous;
        yaml += pad + "  l" + QByteArray::number(level) + ": &l" + QByteArray::number(level) +
                " [" + items + "]\n";
    }
    return yaml;
}

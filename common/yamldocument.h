#pragma once

#include <QHash>
#include <QString>
#include <QVariant>

namespace Pyrite {

// A YAML file read with yaml-cpp into a QVariant tree (maps, lists, typed scalars), keeping the
// line of every key so that config errors can point at "file:line: key".
class YamlDocument
{
public:
    bool load(const QString &fileName, QString *errorString);
    // lineOffset is added to every line: data that starts on line lineOffset + 1 of fileName (the
    // front matter of a markdown file).
    bool loadFromData(const QByteArray &data, const QString &fileName, QString *errorString,
                      int lineOffset = 0);

    QString fileName() const { return m_fileName; }
    QVariant root() const { return m_root; }
    // Keys are paths such as "plugins[0].settings.instance"; lines are 1-based, 0 when unknown.
    int lineOf(const QString &path) const { return m_lines.value(path); }
    QHash<QString, int> lines() const { return m_lines; }

    // Largest config file we read; a bigger one is a mistake, not a config.
    static constexpr qint64 MaxFileSize = 4 * 1024 * 1024;
    // Values (maps, lists, scalars) a document may expand to, aliases counted each time they are
    // used, and how deep they may nest: past either, load() fails and says so.
    static constexpr qint64 MaxNodes = 100000;
    static constexpr int MaxDepth = 100;

private:
    QString m_fileName;
    QVariant m_root;
    QHash<QString, int> m_lines;
};

} // namespace Pyrite

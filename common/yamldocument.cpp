#include "yamldocument.h"

#include "commontr.h"

#include <QCoreApplication>
#include <QFile>

#include <yaml-cpp/yaml.h>

namespace Pyrite {

namespace {

// YAML 1.2 core schema for plain scalars; quoted scalars (tag "!") stay strings.
QVariant scalarValue(const YAML::Node &node)
{
    const QString text = QString::fromStdString(node.Scalar());
    if (node.Tag() == "!")
        return text;
    if (text.isEmpty() || text == u"~" || text == u"null" || text == u"Null" || text == u"NULL")
        return QVariant();
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    bool ok = false;
    const qlonglong integer = text.toLongLong(&ok, 0);
    if (ok)
        return integer;
    if (text.front().isDigit() || text.front() == u'-' || text.front() == u'+' ||
        text.front() == u'.') {
        const double real = text.toDouble(&ok);
        if (ok)
            return real;
    }
    return text;
}

// The conversion with its budget. An alias is a reference in yaml-cpp's tree, but a copy in
// the QVariant one: aliases of aliases make a few hundred bytes expand into gigabytes ("billion
// laughs"), so every node the conversion makes counts, and so does its depth.
class Converter
{
public:
    Converter(QHash<QString, int> *lines, int lineOffset)
        : m_lines(lines),
          m_lineOffset(lineOffset)
    { }

    QVariant convert(const YAML::Node &node, const QString &path, int depth)
    {
        if (++m_nodes > YamlDocument::MaxNodes || depth > YamlDocument::MaxDepth) {
            const bool tooMany = m_nodes > YamlDocument::MaxNodes;
            throw YAML::ParserException(
                    node.Mark(),
                    (tooMany ? CommonTr::tr("the document expands to more than %1 values under "
                                            "\"%2\" (aliases of aliases?); at most %1 are read")
                                       .arg(YamlDocument::MaxNodes)
                                       .arg(path.section(u'.', 0, 0).section(u'[', 0, 0))
                             : CommonTr::tr("values are nested more than %1 deep")
                                       .arg(YamlDocument::MaxDepth))
                            .toStdString());
        }
        switch (node.Type()) {
        case YAML::NodeType::Map:
            return convertMap(node, path, depth);
        case YAML::NodeType::Sequence:
            return convertSequence(node, path, depth);
        case YAML::NodeType::Scalar:
            return scalarValue(node);
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
        }
        return QVariant();
    }

private:
    QVariant convertMap(const YAML::Node &node, const QString &path, int depth)
    {
        QVariantMap map;
        for (const auto &item : node) {
            const QString key = QString::fromStdString(item.first.Scalar());
            const QString childPath = path.isEmpty() ? key : path + u'.' + key;
            m_lines->insert(childPath, item.first.Mark().line + 1 + m_lineOffset);
            map.insert(key, convert(item.second, childPath, depth + 1));
        }
        return map;
    }

    QVariant convertSequence(const YAML::Node &node, const QString &path, int depth)
    {
        QVariantList list;
        int index = 0;
        for (const auto &item : node) {
            const QString childPath = path + u'[' + QString::number(index++) + u']';
            m_lines->insert(childPath, item.Mark().line + 1 + m_lineOffset);
            list.append(convert(item, childPath, depth + 1));
        }
        return list;
    }

    QHash<QString, int> *m_lines;
    int m_lineOffset;
    qint64 m_nodes = 0;
};

} // namespace

bool YamlDocument::load(const QString &fileName, QString *errorString)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (errorString)
            *errorString = CommonTr::tr("%1: cannot open: %2").arg(fileName, file.errorString());
        return false;
    }
    if (file.size() > MaxFileSize) {
        if (errorString)
            *errorString = CommonTr::tr("%1: file is too large (%2 bytes, at most %3)")
                                   .arg(fileName)
                                   .arg(file.size())
                                   .arg(MaxFileSize);
        return false;
    }
    return loadFromData(file.readAll(), fileName, errorString);
}

bool YamlDocument::loadFromData(const QByteArray &data, const QString &fileName,
                                QString *errorString, int lineOffset)
{
    m_fileName = fileName;
    m_lines.clear();
    m_root = QVariant();
    try {
        const YAML::Node node = YAML::Load(data.toStdString());
        m_root = Converter(&m_lines, lineOffset).convert(node, QString(), 0);
    } catch (const YAML::Exception &e) {
        m_lines.clear(); // what the budget cut off is not a document
        if (errorString) {
            *errorString = CommonTr::tr("%1:%2:%3: invalid YAML: %4")
                                   .arg(fileName)
                                   .arg(e.mark.line + 1 + lineOffset)
                                   .arg(e.mark.column + 1)
                                   .arg(QString::fromStdString(e.msg));
        }
        return false;
    }
    return true;
}

} // namespace Pyrite

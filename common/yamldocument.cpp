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

QVariant convert(const YAML::Node &node, const QString &path, QHash<QString, int> *lines,
                 int lineOffset)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QVariantMap map;
        for (const auto &item : node) {
            const QString key = QString::fromStdString(item.first.Scalar());
            const QString childPath = path.isEmpty() ? key : path + u'.' + key;
            lines->insert(childPath, item.first.Mark().line + 1 + lineOffset);
            map.insert(key, convert(item.second, childPath, lines, lineOffset));
        }
        return map;
    }
    case YAML::NodeType::Sequence: {
        QVariantList list;
        int index = 0;
        for (const auto &item : node) {
            const QString childPath = path + u'[' + QString::number(index++) + u']';
            lines->insert(childPath, item.Mark().line + 1 + lineOffset);
            list.append(convert(item, childPath, lines, lineOffset));
        }
        return list;
    }
    case YAML::NodeType::Scalar:
        return scalarValue(node);
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return QVariant();
}

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
        m_root = convert(node, QString(), &m_lines, lineOffset);
    } catch (const YAML::Exception &e) {
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

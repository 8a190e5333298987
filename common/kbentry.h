#pragma once

#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

namespace Pyrite {

// One markdown entry of a knowledge base, as its front matter and body describe it.
struct KbEntry
{
    QString id;
    QString title;
    QString type;
    QStringList tags;
    QVariantList links; // each {"target", "relation"}
    QString body;
    // Every front-matter field, the ones above included, as Pyrite's entry dict has them.
    QVariantMap fields;

    // The entry as Pyrite hands it to hooks: the front matter with id, title, type, tags, links
    // and body filled in.
    QVariantMap toVariantMap() const;
};

} // namespace Pyrite

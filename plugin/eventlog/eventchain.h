#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Pyrite::Internal {

// The event log's hash chain (docs/eventlog.md): each stored event's hash is the SHA-256, in
// lowercase hex, of the hash before it, its sequence and its envelope as stored:
//
//     hash(n) = sha256(hash(n - 1) + "\n" + n + "\n" + envelope(n))
//
// with "" before the first event of the chain. An edited, deleted, inserted or reordered row no
// longer matches; a receiver checks continuity from "prevhash" and "hash" alone.
class EventChain
{
public:
    static QByteArray link(QByteArrayView previousHash, qint64 sequence, QByteArrayView envelope);
};

} // namespace Pyrite::Internal

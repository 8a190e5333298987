#include "eventchain.h"

#include <QCryptographicHash>

namespace Pyrite::Internal {

QByteArray EventChain::link(QByteArrayView previousHash, qint64 sequence, QByteArrayView envelope)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(previousHash);
    sha.addData("\n");
    sha.addData(QByteArray::number(sequence));
    sha.addData("\n");
    sha.addData(envelope);
    return sha.result().toHex();
}

} // namespace Pyrite::Internal

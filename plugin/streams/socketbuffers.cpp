#include "socketbuffers.h"

#include <QAbstractSocket>
#include <QtCore/private/qiodevice_p.h>

namespace Pyrite::Internal {

namespace {
void keepLittle(QRingBuffer &buffer)
{
    buffer.setChunkSize(SocketBuffers::KeptChunkBytes);
    // An empty buffer still holds its last chunk; one with data drops it once drained, since
    // it is now larger than what the buffer keeps (QRingBuffer::free()).
    if (buffer.isEmpty())
        buffer.clear();
}
} // namespace

void SocketBuffers::shrink(QAbstractSocket *socket)
{
    auto *device = static_cast<QIODevicePrivate *>(QObjectPrivate::get(socket));
    // For channels made later (QIODevice::open() makes them anew), then the current ones.
    device->readBufferChunkSize = KeptChunkBytes;
    device->writeBufferChunkSize = KeptChunkBytes;
    for (QRingBuffer &buffer : device->readBuffers)
        keepLittle(buffer);
    for (QRingBuffer &buffer : device->writeBuffers)
        keepLittle(buffer);
}

} // namespace Pyrite::Internal

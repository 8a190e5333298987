#pragma once

class QAbstractSocket;

namespace Pyrite::Internal {

// Keeps the buffers of a long-lived, mostly idle socket small. Once it has written, a Qt socket
// keeps a 32 KiB write chunk for good (QABSTRACTSOCKET_BUFFERSIZE; reads keep up to 16 KiB the
// same way): a stream client, whose socket Qt only hands the handshake, pings and small requests
// (its frames go to the kernel directly), touches one page of it. That made 60 KB of heap per
// idle connection against 20 KB resident, and with clients that come and go, new chunks land on
// pages touched before and the resident size climbs towards the heap's.
// Qt has no public setter for the chunk size; this uses QIODevicePrivate's (Qt 6.4's private
// headers, qt6-base-private-dev), which is why it lives in one place.
class SocketBuffers
{
public:
    // What each of the socket's buffers keeps between uses from now on. Larger reads and writes
    // still take a chunk of their size, given back once it has been drained.
    static constexpr int KeptChunkBytes = 1024;

    // Caps the chunks `socket` keeps at KeptChunkBytes and gives back the ones it keeps now
    // beyond that; data waiting in either buffer stays (its chunk goes once drained).
    static void shrink(QAbstractSocket *socket);
};

} // namespace Pyrite::Internal

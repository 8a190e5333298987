#include "streamclient.h"

namespace Pyrite::Internal {

StreamClient::StreamClient(QWebSocket *socket, bool legacy, const QString &address)
    : m_socket(socket),
      m_legacy(legacy),
      m_address(address)
{
    m_sinceLastPong.start();
}

} // namespace Pyrite::Internal

#pragma once

#include <QCoreApplication>

namespace Pyrite {

// The translation context of the code the host and the plugin share (config, KB files).
struct CommonTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Common)
};

} // namespace Pyrite

#pragma once

#include <QCoreApplication>

namespace Pyrite::Python {

// The translation context of the Python package's native module.
struct PythonTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Python)
};

} // namespace Pyrite::Python

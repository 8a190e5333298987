#pragma once

#include <QString>

#include <algorithm>
#include <cstdio>
#include <vector>

// Collects per-operation timings (ns) and prints figures as "name: value unit" lines.
class LatencyStats
{
public:
    void reserve(size_t n) { m_samples.reserve(n); }
    void add(qint64 nanoseconds) { m_samples.push_back(nanoseconds); }
    size_t count() const { return m_samples.size(); }

    double percentileMicros(double p)
    {
        if (m_samples.empty())
            return 0;
        const size_t index =
                std::min(m_samples.size() - 1, size_t(p / 100.0 * double(m_samples.size())));
        std::nth_element(m_samples.begin(), m_samples.begin() + index, m_samples.end());
        return double(m_samples[index]) / 1000.0;
    }

    static void print(const QString &name, double value, const char *unit)
    {
        std::printf("%s: %.3f %s\n", qPrintable(name), value, unit);
        std::fflush(stdout);
    }

private:
    std::vector<qint64> m_samples;
};

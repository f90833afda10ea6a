// SPDX-License-Identifier: GPL-2.0-only
#include "sim/workload.h"

// Qt
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// std
#include <algorithm>
#include <cmath>
#include <map>

namespace carveout::sim {

std::optional<uint64_t> parseSizeText(const QString& input)
{
    QString t = input.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
        const uint64_t v = t.mid(2).toULongLong(&ok, 16);
        return ok ? std::optional<uint64_t>(v) : std::nullopt;
    }
    unsigned shift = 0;
    for (const auto& [suffix, s] : { std::pair<const char*, unsigned> { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 },
             { "K", 10 }, { "M", 20 }, { "G", 30 } }) {
        if (t.endsWith(QLatin1String(suffix), Qt::CaseInsensitive)) {
            t.chop(int(qstrlen(suffix)));
            shift = s;
            break;
        }
    }
    const uint64_t v = t.trimmed().toULongLong(&ok, 10);
    if (!ok || (shift && v > (UINT64_MAX >> shift)))
        return std::nullopt;
    return v << shift;
}

namespace {

/** splitmix64: tiny, fully specified, the same on every platform (std distributions are not). */
struct Rng
{
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); } // [0, 1)
    uint64_t between(uint64_t lo, uint64_t hi) { return hi <= lo ? lo : lo + next() % (hi - lo + 1); }
};

class Expander
{
public:
    QString error;
    Workload w;

    bool fail(const QString& where, const QString& what)
    {
        if (error.isEmpty())
            error = where + QStringLiteral(": ") + what;
        return false;
    }

    bool size(const QJsonValue& v, const QString& where, uint64_t* out)
    {
        std::optional<uint64_t> s;
        if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() < 9.0e15 && std::floor(v.toDouble()) == v.toDouble())
            s = uint64_t(v.toDouble());
        else if (v.isString())
            s = parseSizeText(v.toString());
        if (!s)
            return fail(where,
                QStringLiteral("'%1' is not a size (write bytes, hex such as 0x300000, or 64K, 12M, 1G)")
                    .arg(v.isString()
                            ? v.toString()
                            : QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact))));
        if (*s == 0)
            return fail(where, QStringLiteral("a size of 0 allocates nothing; give at least one byte"));
        if (*s > (uint64_t(1) << 48))
            return fail(where, QStringLiteral("%1 bytes is beyond any physical memory (at most 256 TiB)").arg(*s));
        *out = *s;
        return true;
    }

    bool count(const QJsonValue& v, const QString& where, uint64_t* out, uint64_t min = 1)
    {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < double(min) || std::floor(d) != d || d > double(kMaxOps))
            return fail(where, QStringLiteral("expected a whole number from %1 to %2").arg(min).arg(kMaxOps));
        *out = uint64_t(d);
        return true;
    }

    int device(const QJsonValue& v, const QString& where)
    {
        const QString name = v.toString();
        for (size_t i = 0; i < w.devices.size(); ++i) {
            if (w.devices[i].name == name)
                return int(i);
        }
        QStringList known;
        for (const auto& d : w.devices)
            known << d.name;
        fail(where,
            QStringLiteral("unknown device '%1' (the \"devices\" object names: %2)")
                .arg(name, known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))));
        return -1;
    }

    bool push(const Op& op, const QString& where)
    {
        if (w.ops.size() >= kMaxOps)
            return fail(where,
                QStringLiteral("the workload expands to more than %1 operations; lower repeat or churn counts")
                    .arg(kMaxOps));
        w.ops.push_back(op);
        return true;
    }

    uint32_t newBuffer(const QString& name)
    {
        if (!name.isEmpty())
            w.bufferNames.emplace(w.bufferCount, name);
        return w.bufferCount++;
    }

    bool steps(const QJsonValue& v, const QString& where, uint32_t phase)
    {
        if (!v.isArray())
            return fail(where, QStringLiteral("expected an array of steps"));
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            if (!step(a.at(i), QStringLiteral("%1[%2]").arg(where).arg(i), phase))
                return false;
        }
        return true;
    }

    bool step(const QJsonValue& v, const QString& where, uint32_t phase)
    {
        if (!v.isObject())
            return fail(where, QStringLiteral("a step is an object such as {\"alloc\": \"isp\", \"size\": \"12M\"}"));
        const QJsonObject o = v.toObject();
        if (o.contains(QLatin1String("alloc")))
            return alloc(o, where, phase);
        if (o.contains(QLatin1String("free"))) {
            const QString name = o.value(QLatin1String("free")).toString();
            auto it = m_live.find(name);
            if (it == m_live.end())
                return fail(where,
                    QStringLiteral(
                        "free of '%1', which is not allocated at this point (allocate it with \"as\": \"%1\" first)")
                        .arg(name));
            Op op;
            op.kind = Op::Free;
            op.buffer = it->second.buffer;
            op.device = it->second.device;
            op.size = it->second.size;
            op.api = it->second.api;
            op.atomic = it->second.atomic;
            op.alignOrder = it->second.alignOrder;
            op.phase = phase;
            m_live.erase(it);
            return push(op, where);
        }
        if (o.contains(QLatin1String("repeat"))) {
            uint64_t n = 0;
            if (!count(o.value(QLatin1String("repeat")), where + QStringLiteral(".repeat"), &n))
                return false;
            for (uint64_t r = 0; r < n; ++r) {
                if (!steps(o.value(QLatin1String("steps")), where + QStringLiteral(".steps"), phase))
                    return false;
            }
            return true;
        }
        if (o.contains(QLatin1String("phase"))) {
            w.phases << o.value(QLatin1String("phase")).toString();
            return steps(
                o.value(QLatin1String("steps")), where + QStringLiteral(".steps"), uint32_t(w.phases.size() - 1));
        }
        if (o.contains(QLatin1String("churn")))
            return churn(o.value(QLatin1String("churn")).toObject(), where + QStringLiteral(".churn"), phase);
        return fail(where, QStringLiteral("unknown step: expected one of alloc, free, repeat, phase, churn"));
    }

    bool api(const QJsonObject& o, const QString& where, Op& op)
    {
        const QString api = o.value(QLatin1String("api")).toString(QStringLiteral("dma_alloc_coherent"));
        if (api == QLatin1String("dma_alloc_coherent")) {
            op.api = Api::DmaAllocCoherent;
        } else if (api == QLatin1String("cma_alloc")) {
            op.api = Api::CmaAlloc;
            uint64_t align = 0;
            if (o.contains(QLatin1String("align_order"))
                && !count(o.value(QLatin1String("align_order")), where + QStringLiteral(".align_order"), &align, 0))
                return false;
            if (align > 30)
                return fail(where + QStringLiteral(".align_order"),
                    QStringLiteral("an alignment order above 30 is not a CMA request"));
            op.alignOrder = int8_t(align);
        } else {
            return fail(where + QStringLiteral(".api"),
                QStringLiteral("'%1' is not an API: use dma_alloc_coherent or cma_alloc").arg(api));
        }
        op.atomic = o.value(QLatin1String("atomic")).toBool(false);
        return true;
    }

    bool alloc(const QJsonObject& o, const QString& where, uint32_t phase)
    {
        Op op;
        op.phase = phase;
        op.device = device(o.value(QLatin1String("alloc")), where + QStringLiteral(".alloc"));
        if (op.device < 0 || !size(o.value(QLatin1String("size")), where + QStringLiteral(".size"), &op.size)
            || !api(o, where, op))
            return false;
        const QString as = o.value(QLatin1String("as")).toString();
        if (!as.isEmpty() && m_live.count(as))
            return fail(where + QStringLiteral(".as"),
                QStringLiteral("'%1' is still allocated; free it first or use another name").arg(as));
        op.buffer = newBuffer(as);
        if (!as.isEmpty())
            m_live[as] = op;
        return push(op, where);
    }

    bool churn(const QJsonObject& o, const QString& where, uint32_t phase)
    {
        Op proto;
        proto.phase = phase;
        proto.device = device(o.value(QLatin1String("device")), where + QStringLiteral(".device"));
        if (proto.device < 0 || !api(o, where, proto))
            return false;
        uint64_t n = 0;
        if (!count(o.value(QLatin1String("count")), where + QStringLiteral(".count"), &n))
            return false;
        const QJsonObject sz = o.value(QLatin1String("size")).toObject();
        uint64_t lo = 0, hi = 0;
        std::vector<uint64_t> choices;
        const QString dist = sz.value(QLatin1String("dist")).toString(QStringLiteral("log-uniform"));
        if (dist == QLatin1String("choice")) {
            const QJsonArray values = sz.value(QLatin1String("values")).toArray();
            for (int i = 0; i < values.size(); ++i) {
                uint64_t s = 0;
                if (!size(values.at(i), QStringLiteral("%1.size.values[%2]").arg(where).arg(i), &s))
                    return false;
                choices.push_back(s);
            }
            if (choices.empty())
                return fail(
                    where + QStringLiteral(".size.values"), QStringLiteral("give at least one size to choose from"));
        } else if (dist == QLatin1String("log-uniform") || dist == QLatin1String("uniform")) {
            if (!size(sz.value(QLatin1String("min")), where + QStringLiteral(".size.min"), &lo)
                || !size(sz.value(QLatin1String("max")), where + QStringLiteral(".size.max"), &hi))
                return false;
            if (hi < lo)
                return fail(where + QStringLiteral(".size"), QStringLiteral("max is smaller than min"));
        } else {
            return fail(where + QStringLiteral(".size.dist"),
                QStringLiteral("'%1' is not a distribution: use log-uniform, uniform or choice").arg(dist));
        }
        const QJsonObject life = o.value(QLatin1String("lifetime")).toObject();
        uint64_t lmin = 1, lmax = 1;
        if (life.contains(QLatin1String("min"))
            && !count(life.value(QLatin1String("min")), where + QStringLiteral(".lifetime.min"), &lmin))
            return false;
        if (life.contains(QLatin1String("max"))
            && !count(life.value(QLatin1String("max")), where + QStringLiteral(".lifetime.max"), &lmax))
            return false;
        if (lmax < lmin)
            return fail(where + QStringLiteral(".lifetime"), QStringLiteral("max is smaller than min"));
        if (n * 2 + w.ops.size() > kMaxOps)
            return fail(where + QStringLiteral(".count"),
                QStringLiteral("the workload expands to more than %1 operations; lower the count").arg(kMaxOps));

        // Each churn block draws from its own stream, so adding steps elsewhere keeps its sizes.
        Rng rng { w.seed ^ (0x5bd1e995ULL * ++m_churns) };
        std::multimap<uint64_t, std::pair<uint32_t, Op>> expiring; // expiry -> buffer
        auto freeUntil = [&](uint64_t t) {
            while (!expiring.empty() && expiring.begin()->first <= t) {
                Op f = expiring.begin()->second.second;
                f.kind = Op::Free;
                f.buffer = expiring.begin()->second.first;
                expiring.erase(expiring.begin());
                w.ops.push_back(f);
            }
        };
        const double llo = std::log(double(lo)), lhi = std::log(double(hi));
        w.ops.reserve(w.ops.size() + size_t(2 * n));
        for (uint64_t k = 0; k < n; ++k) {
            freeUntil(k);
            Op op = proto;
            if (!choices.empty())
                op.size = choices[size_t(rng.next() % choices.size())];
            else if (dist == QLatin1String("uniform"))
                op.size = rng.between(lo, hi);
            else
                op.size
                    = std::clamp<uint64_t>(uint64_t(std::llround(std::exp(llo + rng.unit() * (lhi - llo)))), lo, hi);
            op.size = (op.size + 4095) & ~uint64_t(4095); // whole 4 KiB pages: readable sizes
            op.buffer = newBuffer(QString());
            w.ops.push_back(op);
            expiring.emplace(k + rng.between(lmin, lmax), std::make_pair(op.buffer, op));
        }
        freeUntil(UINT64_MAX);
        return true;
    }

private:
    std::map<QString, Op> m_live; // named buffers allocated and not yet freed
    uint64_t m_churns = 0;
};

/** Operations a steps array expands to, saturating above kMaxOps; malformed parts count 0 (the
 *  expansion reports them). */
uint64_t expandedCount(const QJsonValue& steps, int depth)
{
    if (depth > 64)
        return kMaxOps + 1;
    uint64_t n = 0;
    const QJsonArray a = steps.toArray();
    for (const QJsonValue& v : a) {
        const QJsonObject o = v.toObject();
        uint64_t k = 0;
        if (o.contains(QLatin1String("alloc")) || o.contains(QLatin1String("free"))) {
            k = 1;
        } else if (o.contains(QLatin1String("repeat"))) {
            const double r = std::max(0.0, std::min(o.value(QLatin1String("repeat")).toDouble(0), double(kMaxOps) + 1));
            const uint64_t inner = expandedCount(o.value(QLatin1String("steps")), depth + 1);
            k = inner && uint64_t(r) > (kMaxOps + 1) / inner ? kMaxOps + 1 : uint64_t(r) * inner;
        } else if (o.contains(QLatin1String("phase"))) {
            k = expandedCount(o.value(QLatin1String("steps")), depth + 1);
        } else if (o.contains(QLatin1String("churn"))) {
            k = 2
                * uint64_t(std::max(0.0,
                    std::min(o.value(QLatin1String("churn")).toObject().value(QLatin1String("count")).toDouble(0),
                        double(kMaxOps))));
        }
        n = std::min<uint64_t>(kMaxOps + 1, n + k);
    }
    return n;
}

} // namespace

QString Workload::bufferName(const Op& op) const
{
    if (auto it = bufferNames.find(op.buffer); it != bufferNames.end())
        return it->second;
    return QStringLiteral("%1~%2").arg(devices[size_t(op.device)].name).arg(op.buffer);
}

std::optional<Workload> parseWorkload(const QByteArray& json, QString* error)
{
    auto bad = [&](const QString& e) {
        if (error)
            *error = e;
        return std::optional<Workload>();
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        int line = 1, col = 1;
        for (int i = 0; i < pe.offset && i < json.size(); ++i) {
            if (json[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        return bad(QStringLiteral("%1:%2: %3 (the workload must be JSON; see docs/workloads.md)")
                       .arg(line)
                       .arg(col)
                       .arg(pe.errorString()));
    }
    if (!doc.isObject())
        return bad(QStringLiteral("the workload must be a JSON object with \"devices\" and \"steps\""));
    const QJsonObject o = doc.object();
    Expander x;
    x.w.name = o.value(QLatin1String("name")).toString();
    const QJsonValue seed = o.value(QLatin1String("seed"));
    if (!seed.isUndefined() && (!seed.isDouble() || seed.toDouble() < 0 || seed.toDouble() > 9.0e15))
        return bad(QStringLiteral("seed: expected a whole number"));
    x.w.seed = uint64_t(seed.toDouble(0));
    x.w.phases << QString();
    const QJsonObject devices = o.value(QLatin1String("devices")).toObject();
    if (devices.isEmpty())
        return bad(
            QStringLiteral("devices: name at least one device, e.g. \"devices\": { \"isp\": \"/soc/isp@ac00000\" }"));
    for (auto it = devices.begin(); it != devices.end(); ++it) {
        WorkloadDevice d;
        d.name = it.key();
        const QString where = QStringLiteral("devices.%1").arg(it.key());
        if (it.value().isString()) {
            d.node = it.value().toString();
        } else if (it.value().isObject()) {
            const QJsonObject dev = it.value().toObject();
            d.node = dev.value(QLatin1String("node")).toString();
            const QJsonValue mr = dev.value(QLatin1String("memory_region"));
            if (mr.isString())
                d.memoryRegionName = mr.toString();
            else if (mr.isDouble() && mr.toDouble() >= 0 && mr.toDouble() < 1024)
                d.memoryRegion = int(mr.toDouble());
            else if (!mr.isUndefined())
                return bad(where
                    + QStringLiteral(".memory_region: an index into memory-region or a memory-region-names entry"));
            if (dev.contains(QLatin1String("iommu")))
                d.iommu = dev.value(QLatin1String("iommu")).toBool();
        }
        if (d.node.isEmpty())
            return bad(
                where + QStringLiteral(": give the device's node path (\"/soc/isp@ac00000\") or label (\"&isp\")"));
        x.w.devices.push_back(d);
    }
    // Count before expanding, so an absurd repeat is refused without filling memory first.
    if (expandedCount(o.value(QLatin1String("steps")), 0) > kMaxOps)
        return bad(
            QStringLiteral("steps: the workload expands to more than %1 operations; lower repeat or churn counts")
                .arg(kMaxOps));
    if (!x.steps(o.value(QLatin1String("steps")), QStringLiteral("steps"), 0))
        return bad(x.error);
    return std::move(x.w);
}

} // namespace carveout::sim

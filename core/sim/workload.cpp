// SPDX-License-Identifier: GPL-2.0-only
#include "sim/workload.h"

// core
#include "model/units.h"

// Qt
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

// std
#include <algorithm>
#include <cmath>
#include <queue>

namespace carveout::sim {

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

/** The limit on how deeply repeat and phase blocks may nest. */
constexpr int kMaxDepth = 64;

/** A step as written, checked once (sizes, devices, counts, APIs): a repeat expands it again
 *  without touching JSON or strings. Steps are kept in pre-order in one vector; a step's
 *  children follow it up to `end`. Steps that expand to nothing are not kept. */
struct Step
{
    enum Kind : uint8_t { Alloc, Free, Repeat, Phase, Churn };
    Kind kind = Alloc;
    uint32_t index = 0; ///< position in its JSON steps array (for the path in messages)
    int32_t parent = -1; ///< the repeat or phase holding it; -1 at the top
    uint32_t end = 0; ///< one past its last descendant
    uint32_t name = 0; ///< alloc: 1 + index into Workload::names of "as" (0: none); free: the same
    uint32_t churn = 0; ///< churn: index into Compiler::churns
    uint64_t count = 0; ///< repeat: rounds
    uint64_t ops = 0; ///< operations it expands to, saturating above kMaxOps
    Op op; ///< alloc: the operation; free: its phase; churn: the prototype
};

struct ChurnSpec
{
    enum class Dist : uint8_t { LogUniform, Uniform, Choice };
    Dist dist = Dist::LogUniform;
    uint64_t count = 0;
    uint64_t lo = 0, hi = 0; ///< log-uniform and uniform
    std::vector<uint64_t> choices;
    uint64_t lifeMin = 1, lifeMax = 1;
};

QString describeJson(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return QStringLiteral("'%1'").arg(v.toString());
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

/** Reads the JSON into Steps, with every check that does not depend on what ran before. */
class Compiler
{
public:
    QString error;
    Workload& w;
    std::vector<Step> steps;
    std::vector<ChurnSpec> churns;

    explicit Compiler(Workload& workload)
        : w(workload)
    {
    }

    bool fail(const QString& where, const QString& what)
    {
        if (error.isEmpty())
            error = where + QStringLiteral(": ") + what;
        return false;
    }

    /** "steps[3].steps[0]" for the step at `i`. */
    QString path(int32_t i) const
    {
        QString p;
        for (; i >= 0; i = steps[size_t(i)].parent)
            p.prepend(QStringLiteral(".steps[%1]").arg(steps[size_t(i)].index));
        return p.mid(1);
    }

    /** Compiles a steps array into `steps`; adds the operations it expands to to `*ops`. */
    bool stepList(const QJsonValue& v, const QString& where, int32_t parent, uint32_t phase, int depth, uint64_t* ops)
    {
        if (!v.isArray())
            return fail(where, QStringLiteral("expected an array of steps"));
        if (depth > kMaxDepth)
            return fail(where,
                QStringLiteral("repeat and phase blocks nest more than %1 deep here; flatten them").arg(kMaxDepth));
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const size_t at = steps.size();
            if (at >= UINT32_MAX)
                return fail(where, QStringLiteral("too many steps"));
            steps.emplace_back();
            steps[at].index = uint32_t(i);
            steps[at].parent = parent;
            if (!step(a.at(i), int32_t(at), phase, depth))
                return false;
            steps[at].end = uint32_t(steps.size());
            if (steps[at].ops == 0) {
                steps.resize(at); // nothing to expand (an empty repeat or phase): checked, not kept
                continue;
            }
            *ops += steps[at].ops; // each at most kMaxOps + 1: no overflow
            if (*ops > kMaxOps)
                return fail(path(int32_t(at)),
                    QStringLiteral("the workload expands to more than %1 operations by this step; lower repeat or "
                                   "churn counts")
                        .arg(kMaxOps));
        }
        return true;
    }

private:
    bool step(const QJsonValue& v, int32_t at, uint32_t phase, int depth)
    {
        const QString where = path(at);
        if (!v.isObject())
            return fail(where, QStringLiteral("a step is an object such as {\"alloc\": \"isp\", \"size\": \"12M\"}"));
        const QJsonObject o = v.toObject();
        Step s;
        s.index = steps[size_t(at)].index;
        s.parent = steps[size_t(at)].parent;
        s.op.phase = phase;
        if (o.contains(QLatin1String("alloc"))) {
            s.kind = Step::Alloc;
            s.ops = 1;
            if (!alloc(o, where, &s))
                return false;
        } else if (o.contains(QLatin1String("free"))) {
            s.kind = Step::Free;
            s.ops = 1;
            s.name = nameId(o.value(QLatin1String("free")).toString());
        } else if (o.contains(QLatin1String("repeat")) || o.contains(QLatin1String("phase"))) {
            // A block: a repeat runs its steps `count` times, a phase once under its name.
            uint32_t inner = phase;
            s.count = 1;
            if (o.contains(QLatin1String("repeat"))) {
                s.kind = Step::Repeat;
                if (!count(o.value(QLatin1String("repeat")), where + QStringLiteral(".repeat"), &s.count))
                    return false;
            } else {
                s.kind = Step::Phase;
                w.phases << o.value(QLatin1String("phase")).toString();
                inner = uint32_t(w.phases.size() - 1);
            }
            steps[size_t(at)] = s;
            uint64_t body = 0; // (steps grows below: no reference into it is kept)
            if (!stepList(
                    o.value(QLatin1String("steps")), where + QStringLiteral(".steps"), at, inner, depth + 1, &body))
                return false;
            steps[size_t(at)].ops = body && s.count > (kMaxOps + 1) / body ? kMaxOps + 1 : s.count * body;
            return true;
        } else if (o.contains(QLatin1String("churn"))) {
            s.kind = Step::Churn;
            if (!churn(o.value(QLatin1String("churn")).toObject(), where + QStringLiteral(".churn"), &s))
                return false;
        } else {
            return fail(where, QStringLiteral("unknown step: expected one of alloc, free, repeat, phase, churn"));
        }
        steps[size_t(at)] = s;
        return true;
    }

    uint32_t nameId(const QString& name)
    {
        auto it = m_names.find(name);
        if (it == m_names.end()) {
            w.names << name;
            it = m_names.insert(name, uint32_t(w.names.size()));
        }
        return *it;
    }

    bool size(const QJsonValue& v, const QString& where, uint64_t* out)
    {
        if (v.isUndefined())
            return fail(where, QStringLiteral("missing: give a size in bytes, hex such as 0x300000, or 64K, 12M, 1G"));
        const std::optional<uint64_t> s = parseSize(v);
        if (!s)
            return fail(where,
                QStringLiteral("%1 is not a size (write bytes, hex such as 0x300000, or 64K, 12M, 1G)")
                    .arg(describeJson(v)));
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
            return fail(where,
                QStringLiteral("%1 is not a whole number from %2 to %3").arg(describeJson(v)).arg(min).arg(kMaxOps));
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
            QStringLiteral("unknown device %1 (the \"devices\" object names: %2)")
                .arg(describeJson(v), known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))));
        return -1;
    }

    bool flag(const QJsonObject& o, const char* key, const QString& where, bool* out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return true;
        if (!v.isBool())
            return fail(where + QLatin1Char('.') + QLatin1String(key),
                QStringLiteral("%1 is not true or false").arg(describeJson(v)));
        *out = v.toBool();
        return true;
    }

    bool api(const QJsonObject& o, const QString& where, Op& op)
    {
        const QJsonValue v = o.value(QLatin1String("api"));
        if (v.isUndefined() || v == QJsonValue(QStringLiteral("dma_alloc_coherent"))) {
            op.api = Api::DmaAllocCoherent;
        } else if (v == QJsonValue(QStringLiteral("cma_alloc"))) {
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
                QStringLiteral("%1 is not an API: use dma_alloc_coherent or cma_alloc").arg(describeJson(v)));
        }
        return flag(o, "atomic", where, &op.atomic);
    }

    bool alloc(const QJsonObject& o, const QString& where, Step* s)
    {
        s->op.device = device(o.value(QLatin1String("alloc")), where + QStringLiteral(".alloc"));
        if (s->op.device < 0 || !size(o.value(QLatin1String("size")), where + QStringLiteral(".size"), &s->op.size)
            || !api(o, where, s->op))
            return false;
        const QString as = o.value(QLatin1String("as")).toString();
        s->name = as.isEmpty() ? 0 : nameId(as);
        return true;
    }

    bool churn(const QJsonObject& o, const QString& where, Step* s)
    {
        ChurnSpec c;
        s->op.device = device(o.value(QLatin1String("device")), where + QStringLiteral(".device"));
        if (s->op.device < 0 || !api(o, where, s->op))
            return false;
        if (!count(o.value(QLatin1String("count")), where + QStringLiteral(".count"), &c.count))
            return false;
        const QJsonObject sz = o.value(QLatin1String("size")).toObject();
        const QJsonValue distValue = sz.value(QLatin1String("dist"));
        const QString dist = distValue.toString(QStringLiteral("log-uniform"));
        if (distValue.isString() && dist == QLatin1String("choice")) {
            c.dist = ChurnSpec::Dist::Choice;
            const QJsonArray values = sz.value(QLatin1String("values")).toArray();
            for (qsizetype i = 0; i < values.size(); ++i) {
                uint64_t v = 0;
                if (!size(values.at(i), QStringLiteral("%1.size.values[%2]").arg(where).arg(i), &v))
                    return false;
                c.choices.push_back(v);
            }
            if (c.choices.empty())
                return fail(
                    where + QStringLiteral(".size.values"), QStringLiteral("give at least one size to choose from"));
        } else if ((distValue.isString() || distValue.isUndefined())
            && (dist == QLatin1String("log-uniform") || dist == QLatin1String("uniform"))) {
            c.dist = dist == QLatin1String("uniform") ? ChurnSpec::Dist::Uniform : ChurnSpec::Dist::LogUniform;
            if (!size(sz.value(QLatin1String("min")), where + QStringLiteral(".size.min"), &c.lo)
                || !size(sz.value(QLatin1String("max")), where + QStringLiteral(".size.max"), &c.hi))
                return false;
            if (c.hi < c.lo)
                return fail(where + QStringLiteral(".size"), QStringLiteral("max is smaller than min"));
        } else {
            return fail(where + QStringLiteral(".size.dist"),
                QStringLiteral("%1 is not a distribution: use log-uniform, uniform or choice")
                    .arg(describeJson(distValue)));
        }
        const QJsonObject life = o.value(QLatin1String("lifetime")).toObject();
        if (life.contains(QLatin1String("min"))
            && !count(life.value(QLatin1String("min")), where + QStringLiteral(".lifetime.min"), &c.lifeMin))
            return false;
        if (life.contains(QLatin1String("max"))
            && !count(life.value(QLatin1String("max")), where + QStringLiteral(".lifetime.max"), &c.lifeMax))
            return false;
        if (c.lifeMax < c.lifeMin)
            return fail(where + QStringLiteral(".lifetime"), QStringLiteral("max is smaller than min"));
        s->churn = uint32_t(churns.size());
        s->ops = 2 * c.count;
        churns.push_back(std::move(c));
        return true;
    }

    QHash<QString, uint32_t> m_names;
};

/** Expands compiled steps into operations: the checks that depend on order (free of a buffer
 *  not allocated, a name still in use) and the churn draws. */
class Expander
{
public:
    Expander(Workload& workload, const Compiler& compiled)
        : w(workload)
        , c(compiled)
        , m_live(size_t(workload.names.size()) + 1, -1)
    {
    }

    QString error;

    /** Steps [begin, end) of one steps array. */
    bool run(uint32_t begin, uint32_t end)
    {
        for (uint32_t i = begin; i < end; i = c.steps[i].end) {
            if (!step(i))
                return false;
        }
        return true;
    }

private:
    bool step(uint32_t i)
    {
        const Step& s = c.steps[i];
        switch (s.kind) {
        case Step::Alloc: {
            if (s.name && m_live[s.name] >= 0) {
                error = c.path(int32_t(i))
                    + QStringLiteral(".as: '%1' is still allocated; free it first or use another name")
                          .arg(w.names[qsizetype(s.name - 1)]);
                return false;
            }
            Op op = s.op;
            op.buffer = newBuffer(s.name);
            if (s.name)
                m_live[s.name] = int64_t(w.ops.size());
            w.ops.push_back(op);
            return true;
        }
        case Step::Free: {
            if (m_live[s.name] < 0) {
                error = c.path(int32_t(i))
                    + QStringLiteral(
                        ": free of '%1', which is not allocated at this point (allocate it with \"as\": \"%1\" first)")
                          .arg(w.names[qsizetype(s.name - 1)]);
                return false;
            }
            Op op = w.ops[size_t(m_live[s.name])];
            op.kind = Op::Free;
            op.phase = s.op.phase;
            m_live[s.name] = -1;
            w.ops.push_back(op);
            return true;
        }
        case Step::Repeat:
            for (uint64_t r = 0; r < s.count; ++r) {
                if (!run(i + 1, s.end))
                    return false;
            }
            return true;
        case Step::Phase:
            return run(i + 1, s.end);
        case Step::Churn:
            churn(s.op, c.churns[s.churn]);
            return true;
        }
        return true;
    }

    uint32_t newBuffer(uint32_t name)
    {
        w.bufferNames.push_back(name);
        return w.bufferCount++;
    }

    void churn(const Op& proto, const ChurnSpec& spec)
    {
        // Each churn block draws from its own stream, so adding steps elsewhere keeps its sizes.
        Rng rng { w.seed ^ (0x5bd1e995ULL * ++m_churns) };
        // Buffers by expiry, then by allocation (a min-heap of {expiry, alloc index in w.ops}).
        using Expiry = std::pair<uint64_t, size_t>;
        std::priority_queue<Expiry, std::vector<Expiry>, std::greater<Expiry>> expiring;
        auto freeUntil = [&](uint64_t t) {
            while (!expiring.empty() && expiring.top().first <= t) {
                Op f = w.ops[expiring.top().second];
                f.kind = Op::Free;
                expiring.pop();
                w.ops.push_back(f);
            }
        };
        const double llo = std::log(double(spec.lo)), lhi = std::log(double(spec.hi));
        for (uint64_t k = 0; k < spec.count; ++k) {
            freeUntil(k);
            Op op = proto;
            if (spec.dist == ChurnSpec::Dist::Choice)
                op.size = spec.choices[size_t(rng.next() % spec.choices.size())];
            else if (spec.dist == ChurnSpec::Dist::Uniform)
                op.size = rng.between(spec.lo, spec.hi);
            else
                op.size = std::clamp<uint64_t>(
                    uint64_t(std::llround(std::exp(llo + rng.unit() * (lhi - llo)))), spec.lo, spec.hi);
            op.size = (op.size + 4095) & ~uint64_t(4095); // whole 4 KiB pages: readable sizes
            op.buffer = newBuffer(0);
            expiring.emplace(k + rng.between(spec.lifeMin, spec.lifeMax), w.ops.size());
            w.ops.push_back(op);
        }
        freeUntil(UINT64_MAX);
    }

    Workload& w;
    const Compiler& c;
    std::vector<int64_t> m_live; // by name id: the index in w.ops of its allocation, -1 when not allocated
    uint64_t m_churns = 0;
};

/** "busy": [ { "base": ADDR, "size": SIZE, "from": OP, "to": OP } ]: pinned pages. */
bool parseBusy(const QJsonValue& v, std::vector<BusyRange>* out, QString* error)
{
    if (v.isUndefined())
        return true;
    const auto bad = [&](const QString& where, const QString& what) {
        *error = where + QStringLiteral(": ") + what;
        return false;
    };
    if (!v.isArray())
        return bad(QStringLiteral("busy"),
            QStringLiteral("expected an array such as [ { \"base\": \"0x90000000\", \"size\": \"4K\" } ]"));
    const QJsonArray a = v.toArray();
    if (size_t(a.size()) > kMaxBusyRanges)
        return bad(QStringLiteral("busy"),
            QStringLiteral("%1 ranges; at most %2 (merge neighbouring ones)").arg(a.size()).arg(kMaxBusyRanges));
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString where = QStringLiteral("busy[%1]").arg(i);
        if (!a[i].isObject())
            return bad(where, QStringLiteral("a range is an object with base, size and optionally from and to"));
        const QJsonObject o = a[i].toObject();
        BusyRange r;
        const std::optional<uint64_t> base = parseSize(o.value(QLatin1String("base")));
        if (!base || *base >= (uint64_t(1) << 48))
            return bad(where + QStringLiteral(".base"),
                QStringLiteral("%1 is not a physical address below 256 TiB (write hex such as 0x90000000)")
                    .arg(describeJson(o.value(QLatin1String("base")))));
        const std::optional<uint64_t> size = parseSize(o.value(QLatin1String("size")));
        if (!size || *size == 0 || *size > (uint64_t(1) << 48) - *base)
            return bad(where + QStringLiteral(".size"),
                QStringLiteral("%1 is not a size of at least one byte that ends below 256 TiB (write 4K, 2M, 0x1000)")
                    .arg(describeJson(o.value(QLatin1String("size")))));
        r.base = *base;
        r.size = *size;
        for (const char* key : { "from", "to" }) {
            const QJsonValue t = o.value(QLatin1String(key));
            if (t.isUndefined())
                continue;
            const double d = t.toDouble(-1);
            if (!t.isDouble() || d < 0 || std::floor(d) != d || d > double(kMaxOps))
                return bad(where + QLatin1Char('.') + QLatin1String(key),
                    QStringLiteral("%1 is not an operation index from 0 to %2").arg(describeJson(t)).arg(kMaxOps));
            (key[0] == 'f' ? r.from : r.to) = uint64_t(d);
        }
        if (r.to <= r.from)
            return bad(where + QStringLiteral(".to"),
                QStringLiteral("%1 is not after from (%2): the range would never be busy").arg(r.to).arg(r.from));
        out->push_back(r);
    }
    return true;
}

} // namespace

QString Workload::bufferName(const Op& op) const
{
    if (op.buffer < bufferNames.size() && bufferNames[op.buffer])
        return names.value(qsizetype(bufferNames[op.buffer] - 1));
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
    Workload w;
    w.name = o.value(QLatin1String("name")).toString();
    const QJsonValue seed = o.value(QLatin1String("seed"));
    if (!seed.isUndefined()
        && (!seed.isDouble() || seed.toDouble() < 0 || seed.toDouble() > 9.0e15
            || std::floor(seed.toDouble()) != seed.toDouble()))
        return bad(QStringLiteral("seed: %1 is not a whole number from 0 to 9e15").arg(describeJson(seed)));
    w.seed = uint64_t(seed.toDouble(0));
    w.phases << QString();
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
            else if (mr.isDouble() && mr.toDouble() >= 0 && mr.toDouble() < 1024
                && std::floor(mr.toDouble()) == mr.toDouble())
                d.memoryRegion = int(mr.toDouble());
            else if (!mr.isUndefined())
                return bad(where
                    + QStringLiteral(".memory_region: %1 is neither an index into memory-region (0 to 1023) nor a "
                                     "memory-region-names entry")
                          .arg(describeJson(mr)));
            const QJsonValue iommu = dev.value(QLatin1String("iommu"));
            if (iommu.isBool())
                d.iommu = iommu.toBool();
            else if (!iommu.isUndefined())
                return bad(where + QStringLiteral(".iommu: %1 is not true or false").arg(describeJson(iommu)));
            const QJsonValue area = dev.value(QLatin1String("cma_area"));
            if (area.isString() && !area.toString().isEmpty())
                d.cmaArea = area.toString();
            else if (!area.isUndefined())
                return bad(where
                    + QStringLiteral(".cma_area: %1 is not the name of a CMA area such as \"hugetlb0\"")
                          .arg(describeJson(area)));
        }
        if (d.node.isEmpty())
            return bad(
                where + QStringLiteral(": give the device's node path (\"/soc/isp@ac00000\") or label (\"&isp\")"));
        w.devices.push_back(d);
    }
    // Every check that needs no expansion first, and the count: an absurd repeat is refused
    // before it fills memory, and a repeat of nothing is not run at all.
    Compiler compiled(w);
    uint64_t ops = 0;
    if (!compiled.stepList(o.value(QLatin1String("steps")), QStringLiteral("steps"), -1, 0, 0, &ops))
        return bad(compiled.error);
    w.ops.reserve(size_t(ops));
    Expander x(w, compiled);
    if (!x.run(0, uint32_t(compiled.steps.size())))
        return bad(x.error);
    QString busyError;
    if (!parseBusy(o.value(QLatin1String("busy")), &w.busy, &busyError))
        return bad(busyError);
    return w;
}

} // namespace carveout::sim

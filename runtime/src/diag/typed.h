// A test written over typed inputs and results (diag/fields.h), as the
// service runs it: its inputs parsed from the object's values at the
// profile's paths, its results formatted from their types to the profile's
// paths, its state by the generated text.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>

#include "cwmp/diag/diagnostic.h"
#include "cwmp/dm/value.h"
#include "fields.h"

namespace cwmp::diag {

// An error before any result: the model's results are left as they are.
struct Failure {
    State state;
};
inline Failure fail(State s) { return {s}; }

// What a test ends with: its state, and its results unless it failed early.
template <class R>
struct Outcome {
    State state = State::kComplete;
    std::optional<R> results;

    Outcome(R r, State s = State::kComplete) : state(s), results(std::move(r)) {}
    Outcome(Failure f) : state(f.state) {}
};

// The wire form of a result (a dateTime with its microseconds; the epoch is
// TR-069's unknown time).
std::string text_of(Time t);
template <class T>
std::string text_of(const T& v) {
    std::string out;
    dm::format(out, v);
    return out;
}

// "...RouteHops.{i}.Host" with its row number.
std::string row_path(std::string_view path, std::size_t row);

// The results, at the profile's paths (a member whose path is "" skipped):
// each_result's visitor.
class ResultWriter {
public:
    explicit ResultWriter(Output& out) : out_(out) {}
    template <class T>
    void operator()(std::string_view path, const T& v) const {
        if (!path.empty()) out_.set(std::string(path), text_of(v));
    }
    template <class Rows, class Each>
    void table(std::string_view row, const Rows& rows, Each&& each) const {
        if (row.empty()) return;  // the profile lacks the table
        out_.tables.emplace_back(std::string(dm::table_path(row)), static_cast<std::uint32_t>(rows.size()));
        for (std::size_t k = 0; k < rows.size(); ++k)
            each(rows[k], [&](std::string_view path, const auto& v) {
                if (!path.empty()) out_.set(row_path(path, k + 1), text_of(v));
            });
    }

private:
    Output& out_;
};

template <class Paths, class R>
void write_results(const Paths& paths, const R& results, Output& out) {
    each_result(paths, results, ResultWriter(out));
}

// The inputs from the object's values (a member whose path is "" or whose
// value does not parse keeps its initial value).
template <class Paths, class In>
In read_inputs(const Paths& paths, const Params& params) {
    In in{};
    each_input(paths, in, [&](std::string_view path, auto& member) {
        if (path.empty()) return;
        const auto it = params.values.find(path);
        if (it == params.values.end()) return;
        std::remove_reference_t<decltype(member)> v{};
        if (dm::parse(it->second, v) == Fault::None) member = std::move(v);
    });
    return in;
}

// The service's Test of a typed test `run(inputs, device, stop)`.
template <class Paths, class In, class R>
Test typed(const Paths& paths, Outcome<R> (*run)(const In&, const std::string&, std::stop_token)) {
    return [paths, run](const Params& params, std::stop_token stop) {
        Outcome<R> r = run(read_inputs<Paths, In>(paths, params), params.device, stop);
        Output out;
        out.state = state_text(r.state);
        if (r.results) write_results(paths, *r.results, out);
        return out;
    };
}

}  // namespace cwmp::diag

// The diagnostics runner: TR-143 tests off the agent's loop.  The agent
// thread alone owns the data model and the store; each run gets a copy of
// its inputs, runs on a worker thread (std::jthread, stopped through its
// stop_token) and hands its results back; a descriptor the agent's loop polls
// becomes readable when one finished, and collect() writes the results.
//
// TR-181's DiagnosticsState rules (the DiagnosticsState data type):
// - "Requested" by the ACS: the run starts once the session that asked is
//   over (start_requested() between sessions); asked again while pending or
//   running, the latest wins (a running test is stopped and started anew).
// - "Canceled", or a change of any other input of the object: a running test
//   stops, DiagnosticsState goes back to None, no 8 DIAGNOSTICS COMPLETE.
// - the ACS may write only Requested and Canceled (else 9007).
// - at start (a restart is a reboot to the ACS): a test still Requested was
//   interrupted and its results are not retained, so it is reset to None
//   (and 8 DIAGNOSTICS COMPLETE is discarded on reboot, TR-069 Table 8).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cwmp/diag/diagnostic.h"

namespace cwmp::dm {
class Engine;
struct ModelPaths;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::diag {

class Service {
public:
    // `diagnostics` whose object the model lacks are left out.
    Service(dm::Engine& engine, const util::Log& log, std::vector<Diagnostic> diagnostics);
    ~Service();  // stops every run and waits (each stops within ~100 ms)
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Defaults, capabilities, the reset of interrupted runs, the engine's hooks.
    void start();

    // Readable when a run has finished (poll it; collect() drains it).
    int fd() const noexcept;

    // Starts the runs the ACS requested (call when no session is open).
    void start_requested();

    // Writes the results of finished runs; the number that completed
    // (successfully or with an error: each wants 8 DIAGNOSTICS COMPLETE).
    unsigned collect();

    // UDPEchoConfig's counters (the echo server's, kept by its thread) into
    // the model: before each session, so that the ACS reads them fresh.
    void publish();

    // Whether a run is requested or running.
    bool busy() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Every diagnostic this library carries (TR-181 IP.Diagnostics), at the
// profile's paths (an object the profile lacks is "", and skipped).
std::vector<Diagnostic> standard_diagnostics(const dm::ModelPaths& paths);

}  // namespace cwmp::diag

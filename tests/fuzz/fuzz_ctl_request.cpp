// cwmpctl's requests as the control socket reads them (cwmp/ctl/protocol.h)
// from any local caller.  Invariants: a refused request says why; an accepted
// one has a command, no more fields than allowed, and encodes back to bytes
// that parse to the same request; a response parses only with a status
// 0..255.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/ctl/protocol.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto r = cwmp::ctl::parse_request(bytes, error);
    if (!r) {
        fuzz::check(!error.empty(), "a refused request without a reason", bytes);
    } else {
        fuzz::check(!r->command.empty(), "a request without a command", bytes);
        fuzz::check(r->args.size() + 1 <= cwmp::ctl::kMaxFields, "too many fields accepted", bytes);
        std::string again_error;
        const auto again = cwmp::ctl::parse_request(cwmp::ctl::encode_request(*r), again_error);
        fuzz::check(again && again->json == r->json && again->command == r->command && again->args == r->args,
                    "encode(parse(x)) does not parse to the same request", bytes);
    }
    if (const auto resp = cwmp::ctl::parse_response(bytes)) {
        fuzz::check(resp->status >= 0 && resp->status <= 255, "a status out of range", bytes);
        const auto back = cwmp::ctl::parse_response(cwmp::ctl::encode_response(*resp));
        fuzz::check(back && back->status == resp->status && back->text == resp->text, "response round trip", bytes);
    }
    return 0;
}

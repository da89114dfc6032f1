// The whole ACS-request path: bytes -> SOAP reader -> RPC dispatch on the
// simulated box -> writer.  Invariant: every answer is a well-formed SOAP
// envelope whose body is a Fault or the method's Response, echoing the
// request's cwmp:ID when the request could be read.  (tools/fuzz replays
// the corpus through validate-cwmp for schema validity.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/soap/reader.h"
#include "world.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    fuzz::World w;
    const std::string answer = w.cpe.answer(bytes);

    cwmp::soap::Limits ours;  // our own answer may be larger than what we accept
    ours.max_bytes = std::size_t{1} << 30;
    ours.max_elements = std::size_t{1} << 26;
    const cwmp::soap::ParseResult parsed = cwmp::soap::parse_envelope(answer, ours);
    fuzz::check(parsed.envelope.has_value(), "the answer is not a SOAP envelope: " + parsed.error, answer);
    const cwmp::soap::Envelope& env = *parsed.envelope;
    const cwmp::soap::ParseResult request = cwmp::soap::parse_envelope(bytes);
    if (env.is_fault) {
        const cwmp::soap::Element* detail = env.body.child("detail");
        const cwmp::soap::Element* f = detail ? detail->child("Fault") : nullptr;
        fuzz::check(f && f->child("FaultCode") && f->child("FaultString"), "a fault without its cwmp:Fault", answer);
        const std::string& code = f->child("FaultCode")->text;
        fuzz::check(code.size() == 4 && (code[0] == '8' || code[0] == '9'), "a fault code not 8xxx/9xxx", answer);
    } else {
        fuzz::check(request.envelope.has_value(), "an answer other than a fault to an unreadable request", answer);
        fuzz::check(env.body.name == request.envelope->body.name + "Response", "the answer is not the Response",
                    answer);
    }
    if (request.envelope && !request.envelope->id.empty())
        fuzz::check(env.id == request.envelope->id, "the answer does not echo the cwmp:ID", answer);
    return 0;
}

// Writing CWMP SOAP messages by streaming into a string: no DOM is built for
// output, so a GetParameterValuesResponse costs little more than its bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/dm/types.h"
#include "cwmp/fault.h"
#include "cwmp/soap/namespace.h"

namespace cwmp::soap {

// Appends `text` as XML character data or attribute value: markup characters
// escaped, CR/LF/TAB as character references, other control characters and
// invalid UTF-8 replaced by U+FFFD so the output is always well-formed XML.
void append_escaped(std::string& out, std::string_view text);

// SOAP header elements a CPE message may carry.
struct Header {
    std::string_view id;                  // cwmp:ID, mustUnderstand="1" ("" = none)
    std::string_view supported_versions;  // cwmp:SupportedCWMPVersions, mustUnderstand="0" (an Inform)
};

class Writer {
public:
    // Starts the envelope; the header carries cwmp:ID (mustUnderstand="1")
    // when `id` is not empty.
    Writer(std::string& out, Namespace ns, std::string_view id);
    Writer(std::string& out, Namespace ns, const Header& header);

    // <cwmp:Name> directly in the Body (an RPC or its response).
    void open_rpc(std::string_view name);
    void close_rpc(std::string_view name);

    // Elements inside an RPC (unqualified, as cwmp-1-x.xsd declares them).
    void open(std::string_view name);
    void close(std::string_view name);
    void text(std::string_view name, std::string_view value);
    void number(std::string_view name, std::uint64_t value);

    // An array with its soap-enc:arrayType, e.g. ("ParameterList",
    // "cwmp:ParameterValueStruct", 3).
    void open_array(std::string_view name, std::string_view item_type, std::size_t count);
    // The same when the count is known only at the end (a streamed
    // GetParameterValuesResponse): `open_array_deferred` returns a mark that
    // `set_array_count` fills in once the items are written.
    std::size_t open_array_deferred(std::string_view name, std::string_view item_type);
    void set_array_count(std::size_t mark, std::size_t count);

    // <ParameterValueStruct><Name/><Value xsi:type="xsd:T"/></ParameterValueStruct>
    void parameter_value(std::string_view name, dm::Type type, std::string_view value);
    // The same for a name the data-model engine built (template segments of
    // the generated tables and decimal instance numbers), which never needs
    // escaping: the hot path of a large GetParameterValuesResponse.
    void parameter_value_model_name(std::string_view name, dm::Type type, std::string_view value);

    // A SOAP Fault whose detail is a cwmp:Fault with FaultCode/FaultString;
    // `open_fault` leaves it open for SetParameterValuesFault elements.
    void open_fault(Fault code, std::string_view message = {});
    void set_parameter_values_fault(std::string_view parameter, Fault code,
                                    std::string_view message = {});
    void close_fault();

    // Bytes in the output so far (the whole string the writer appends to).
    std::size_t size() const noexcept;

    // Ends Body and Envelope; the writer must not be used after.
    void finish();

private:
    void start_tag(std::string_view prefix, std::string_view name);
    void end_tag(std::string_view prefix, std::string_view name);

    std::string& out_;
};

}  // namespace cwmp::soap

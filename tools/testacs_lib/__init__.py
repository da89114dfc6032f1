"""testacs_lib: a scriptable TR-069 (CWMP) ACS for end-to-end tests and demos.

    import sys; sys.path.insert(0, "tools")
    from testacs_lib import TestACS, GetParameterValues, SetParameterValues

    acs = TestACS(auth="digest", username="cpe", password="secret").start()
    acs.queue(GetParameterValues(["Device.ManagementServer."]))
    ...                                  # run the CPE against acs.url
    s = acs.wait_for_session(10)         # a Session, once finished
    s.events                             # [('0 BOOTSTRAP', ''), ('1 BOOT', '')]
    s.find("GetParameterValues").result  # {name: (value, 'xsd:type')}
    s.cookies_ok, s.auth, s.violations
    print("\\n".join(acs.transcript()))
    acs.stop()

Modules: acs (TestACS: its API and the session state machine), records (Session,
Exchange, Message and the other results tests read), server (the HTTP layer),
transcript (the transcript, the recording and validation of messages), connreq
(the connection-request client), cwmp (RPC helpers, SOAP writer and parser), auth
(Basic/Digest, server and client), scenario (JSON scenarios), validate (the
validate-cwmp runner), cli (tools/testacs).
"""

from .acs import TestACS
from .records import (AuthFailure, ConnectionRequestResult, Exchange, Message, RefusedAttempt,
                      Session)
from .cwmp import (CWMP_1_0, CWMP_1_1, CWMP_1_2, AddObject, CancelTransfer, ChangeDUState,
                   DeleteObject, Download, FactoryReset, Fault, GetAllQueuedTransfers,
                   GetParameterAttributes, GetParameterNames, GetParameterValues,
                   GetQueuedTransfers, GetRPCMethods, ParsedMessage, Reboot, Rpc,
                   ScheduleDownload, ScheduleInform, SetParameterAttributes,
                   SetParameterValues, Upload, parse_message, raw)
from .scenario import ScenarioError
from .validate import ValidationError

__all__ = [
    "TestACS", "Session", "Exchange", "Message", "AuthFailure", "RefusedAttempt",
    "ConnectionRequestResult", "Rpc", "Fault", "ParsedMessage", "parse_message",
    "ValidationError", "ScenarioError", "CWMP_1_0", "CWMP_1_1", "CWMP_1_2",
    "GetRPCMethods", "GetParameterValues", "GetParameterNames", "SetParameterValues",
    "GetParameterAttributes", "SetParameterAttributes", "AddObject", "DeleteObject",
    "Reboot", "FactoryReset", "Download", "Upload", "ScheduleInform", "ScheduleDownload",
    "CancelTransfer", "GetQueuedTransfers", "GetAllQueuedTransfers", "ChangeDUState", "raw",
]

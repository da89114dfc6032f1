"""cwmpd to an ACS over HTTPS (TR-069 3.4.1, 3.4.4): the ACS's certificate is verified
against ca_file (chain, validity, host name) and a bad one stops the session with a
clear log line; an ACS that requires a client certificate gets client_cert/client_key."""

import os
import unittest

from harness import EXIT_OK, MS, E2ECase, GetParameterValues
from support_files import OPENSSL, Certs


@unittest.skipIf(OPENSSL is None, "no openssl binary to make the test certificates")
class Tls(E2ECase):
    def setUp(self):
        super().setUp()
        self.certs = Certs(os.path.join(self.dir, "pki"))

    def https_cpe(self, pair=None, require_client_cert=False, **keys):
        """An HTTPS ACS (certificate `pair`, the good one by default) with a GetParameterValues
        queued, and cwmpd pointed at it (ca_file: the test CA unless given)."""
        ctx = self.certs.server_context(pair, require_client_cert)
        acs = self.make_acs(ssl_context=ctx)
        self.assertTrue(acs.url.startswith("https://127.0.0.1:"), acs.url)
        acs.queue(GetParameterValues([MS + "URL"]))
        keys.setdefault("ca_file", self.certs.ca)
        conf = self.write_config(acs.url, **keys)
        return acs, self.start_cwmpd(conf)

    def assertSessionsWork(self, acs, cpe):
        """The next session runs, with the queued GetParameterValues answered."""
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEqual(self.value(s.find("GetParameterValues"), MS + "URL"), acs.url)
        self.assertTrue(s.cookies_ok)
        return s

    def assertRefused(self, acs, cpe, log_pattern):
        """No session; cwmpd keeps running (and retrying) and says why in its log."""
        cpe.wait_log(r"session failed: cannot reach the ACS: .*" + log_pattern, 10)
        cpe.wait_log(r"session: retry 1 in [\d.]+ s", 5)
        self.assertStaysUp(cpe, 0.5)
        self.assertEqual(acs.sessions, [], "a session got through a bad TLS connection")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_good_certificate(self):
        """A certificate for 127.0.0.1 from the configured CA: sessions work, twice (a
        restart makes a new TLS connection)."""
        acs, cpe = self.https_cpe()
        s = self.assertSessionsWork(acs, cpe)
        self.assertIn(("0 BOOTSTRAP", ""), s.events)
        self.assertEqual(cpe.stop(), EXIT_OK)
        acs.queue(GetParameterValues([MS + "URL"]))
        cpe.start()
        s2 = self.assertSessionsWork(acs, cpe)
        self.assertEqual(s2.events, [("1 BOOT", "")])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_expired_certificate(self):
        acs, cpe = self.https_cpe(self.certs.expired())
        self.assertRefused(acs, cpe, r"certificate has expired")

    def test_unknown_ca(self):
        acs, cpe = self.https_cpe(self.certs.unknown_ca())
        self.assertRefused(acs, cpe, r"unable to get local issuer certificate")

    def test_wrong_host_name(self):
        acs, cpe = self.https_cpe(self.certs.wrong_host())
        self.assertRefused(acs, cpe, r"no alternative certificate subject name matches target host name '127\.0\.0\.1'")

    def test_no_ca_file(self):
        """Without ca_file the system's CAs apply, which do not know the test CA."""
        acs, cpe = self.https_cpe(ca_file=None)
        self.assertRefused(acs, cpe, r"unable to get local issuer certificate")

    def test_verify_off(self):
        """tls_verify = false (a documented key): an unknown CA is accepted."""
        acs, cpe = self.https_cpe(self.certs.unknown_ca(), tls_verify="false")
        self.assertSessionsWork(acs, cpe)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_client_certificate_required(self):
        """The ACS requires a client certificate from its CA: without client_cert and
        client_key no session; with one from another CA no session; with the right one
        sessions work."""
        acs, cpe = self.https_cpe(require_client_cert=True)
        cpe.wait_log(r"session failed: (cannot reach the ACS|lost the ACS)", 10)
        self.assertStaysUp(cpe, 0.5)
        self.assertEqual(acs.sessions, [], "a session got through without a client certificate")
        self.assertEqual(cpe.stop(), EXIT_OK)
        # What libcurl says depends on when the ACS's alert arrives: "tlsv13 alert
        # certificate required" (SSL_read) or, as often with curl 7.88, "getpeername()
        # failed ... not connected" (the connection is gone before curl looks at it).
        self.assertRegex(cpe.log(), r"(?i)certificate required|alert|handshake|SSL|getpeername|send failure|reset")

        other, other_key = self.certs.client_unknown_ca()
        conf = self.write_config(acs.url, name="other.conf", ca_file=self.certs.ca, client_cert=other,
                                 client_key=other_key)
        cpe2 = self.start_cwmpd(conf)
        cpe2.wait_log(r"session failed: (cannot reach the ACS|lost the ACS)", 10)
        self.assertEqual(acs.sessions, [], "a session got through with a client certificate from another CA")
        self.assertEqual(cpe2.stop(), EXIT_OK)

        cert, key = self.certs.client()
        conf = self.write_config(acs.url, name="client.conf", ca_file=self.certs.ca, client_cert=cert,
                                 client_key=key)
        cpe3 = self.start_cwmpd(conf)     # the GetParameterValues is still queued
        self.assertSessionsWork(acs, cpe3)
        self.assertEqual(cpe3.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()

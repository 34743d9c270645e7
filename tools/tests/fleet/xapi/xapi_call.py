# SPDX-License-Identifier: GPL-2.0
"""xapi's side of a host plugin call, for the tests: what
Xapi_plugins.call_plugin does (xen-api, ocaml/xapi/xapi_plugins.ml).

- Only a file listed in the plugins directory can be called, else
  XENAPI_MISSING_PLUGIN [name] (find_plugin).
- The call is one argv: an XML-RPC methodCall named after fn, with two
  params: the session reference as a string and the args as a struct whose
  values are all strings (args are a (string * string) list).
- A plugin that exits non-zero (or dies of a signal) is
  XENAPI_PLUGIN_FAILURE ["non-zero exit" (or "signal: ..."), output, log].
- Its stdout is an XML-RPC methodResponse: a struct with Status "Success"
  and one Value, which must be a string, is the call's result; Status
  "Failure" with ErrorDescription [code, params...] is the API error code
  with params; a <fault> is XENAPI_PLUGIN_FAILURE ["fault", code, reason];
  anything else is XENAPI_PLUGIN_FAILURE ["unexpected XMLRPC result", ...]
  or ["failed to parse plugin output", ...].
"""

import os
import subprocess
import xml.parsers.expat
import xmlrpc.client


class ApiError(Exception):
    """Api_errors.Server_error(code, params)."""

    def __init__(self, code, params):
        Exception.__init__(self, code, params)
        self.code = code
        self.params = params


def call_plugin(plugins_dir, session, plugin, fn, args, env=None):
    """The plugin's result string, or ApiError as xapi raises it."""
    if plugin not in os.listdir(plugins_dir):
        raise ApiError("XENAPI_MISSING_PLUGIN", [plugin])
    for k, v in args.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError("xapi passes args as strings only")
    call = xmlrpc.client.dumps((session, dict(args)), fn)
    done = subprocess.run([os.path.join(plugins_dir, plugin), call],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, check=False)
    if done.returncode > 0:
        raise ApiError("XENAPI_PLUGIN_FAILURE", ["non-zero exit", done.stdout, done.stderr])
    if done.returncode < 0:
        raise ApiError("XENAPI_PLUGIN_FAILURE",
                       ["signal: %d" % -done.returncode, done.stdout, done.stderr])
    try:
        params, _ = xmlrpc.client.loads(done.stdout)
    except xmlrpc.client.Fault as f:
        raise ApiError("XENAPI_PLUGIN_FAILURE", ["fault", str(f.faultCode), f.faultString])
    except (xml.parsers.expat.ExpatError, ValueError) as e:
        raise ApiError("XENAPI_PLUGIN_FAILURE",
                       ["failed to parse plugin output", done.stdout, str(e)])
    if len(params) == 1 and isinstance(params[0], dict):
        st = params[0]
        if st.get("Status") == "Success" and isinstance(st.get("Value"), str):
            return st["Value"]
        desc = st.get("ErrorDescription")
        if st.get("Status") == "Failure" and isinstance(desc, list) and desc:
            raise ApiError(desc[0], desc[1:])
    raise ApiError("XENAPI_PLUGIN_FAILURE", ["unexpected XMLRPC result", done.stdout])

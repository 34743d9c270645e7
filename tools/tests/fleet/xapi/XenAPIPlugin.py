# SPDX-License-Identifier: GPL-2.0
"""Test double of the host's XenAPIPlugin module, for the plugin tests.

It follows the protocol of xen-api's XenAPIPlugin.py (dispatch(),
success_message(), failure_message(), class Failure;
scripts/examples/python/XenAPIPlugin.py): argv[1] is an XML-RPC
methodCall (method = the function's name, params = session id and a
struct of string args); the function gets (session, args); stdout gets
an XML-RPC methodResponse holding one struct: Status "Success" with the
result as Value, or Status "Failure" with ErrorDescription [code, params...]
(a Failure), ["XENAPI_PLUGIN_FAILURE", method, exception class, message]
(any other exception) or ["UNKNOWN_XENAPI_PLUGIN_FUNCTION", method].
The real module also opens a XenAPI session (XenAPI.xapi_local()); here
the session is the id string itself, which dom0gpu's plugin never uses.
"""

import sys
import xmlrpc.client


class Failure(Exception):
    """An API error the caller sees as code + params."""

    def __init__(self, code, params):
        Exception.__init__(self)
        self.params = [code] + params

    def __str__(self):
        return str(self.params)


def _response(struct):
    return xmlrpc.client.dumps((struct,), methodresponse=True)


def dispatch(fn_table):
    if len(sys.argv) != 2:
        raise Exception("Incorrect number of commandline arguments")
    params, method = xmlrpc.client.loads(sys.argv[1])
    session, args = params[0], params[1]
    if method not in fn_table:
        print(_response({"Status": "Failure",
                         "ErrorDescription": ["UNKNOWN_XENAPI_PLUGIN_FUNCTION", method]}))
        return
    try:
        result = fn_table[method](session, args)
        print(_response({"Status": "Success", "Value": result}))
    except SystemExit:
        raise
    except Failure as e:
        print(_response({"Status": "Failure", "ErrorDescription": e.params}))
    except Exception as e:  # pylint: disable=broad-except
        print(_response({"Status": "Failure",
                         "ErrorDescription": ["XENAPI_PLUGIN_FAILURE", method,
                                              e.__class__.__name__, str(e)]}))

// setEnv(name, value?): sets (or, without a value, removes) a variable of the process's
// own environment, which C libraries read with getenv. Node's process.env does this on the
// main thread only: a worker thread's process.env is a copy. The native backend loads this
// module, free of OpenBLAS, to name OpenBLAS's kernels before the addon, and with it
// OpenBLAS, loads on whichever thread comes first (blas-core.ts).
#include <node_api.h>

#include <cstdlib>
#include <string>

namespace {

bool stringArg(napi_env env, napi_value v, std::string& out) {
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &n) != napi_ok) return false;
  out.resize(n + 1);
  napi_get_value_string_utf8(env, v, out.data(), n + 1, &n);
  out.resize(n);
  return true;
}

napi_value SetEnv(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  std::string name, value;
  if (argc < 1 || !stringArg(env, argv[0], name)) {
    napi_throw_type_error(env, nullptr, "setEnv(name, value?): name must be a string");
    return nullptr;
  }
  if (argc >= 2 && stringArg(env, argv[1], value)) setenv(name.c_str(), value.c_str(), 1);
  else unsetenv(name.c_str());
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "setEnv", NAPI_AUTO_LENGTH, SetEnv, nullptr, &fn);
  napi_set_named_property(env, exports, "setEnv", fn);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

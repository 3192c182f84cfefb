// The arguments of an N-API call, read by position. Shapes and lengths are validated in
// TypeScript (src/backend/validate.ts, src/backend/image-ops.ts) before any call; here only
// the argument types are checked: a wrong one throws a TypeError and clears `ok`.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace sayre {

struct Args {
  napi_env env;
  napi_value argv[13];
  size_t argc = 13;
  bool ok = true;

  Args(napi_env e, napi_callback_info info) : env(e) {
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  }

  void fail(const char* msg) {
    if (ok) napi_throw_type_error(env, nullptr, msg);
    ok = false;
  }

  int i32(size_t i) {
    int32_t v = 0;
    if (i >= argc || napi_get_value_int32(env, argv[i], &v) != napi_ok) fail("sayre native: expected an integer argument");
    return v;
  }

  double f64(size_t i) {
    double v = 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok) fail("sayre native: expected a number argument");
    return v;
  }

  bool flag(size_t i) {
    bool v = false;
    if (i >= argc || napi_get_value_bool(env, argv[i], &v) != napi_ok) fail("sayre native: expected a boolean argument");
    return v;
  }

  float* floats(size_t i) { return typed<float>(i, napi_float32_array, 0, "sayre native: expected a Float32Array argument"); }

  // An Int32Array of at least `need` values (a packed geometry, a widths table).
  int32_t* ints(size_t i, size_t need) {
    return typed<int32_t>(i, napi_int32_array, need, "sayre native: expected an Int32Array argument of enough values");
  }

 private:
  template <class T>
  T* typed(size_t i, napi_typedarray_type want, size_t need, const char* msg) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    napi_value buffer;
    size_t offset = 0;
    if (i >= argc || napi_get_typedarray_info(env, argv[i], &type, &length, &data, &buffer, &offset) != napi_ok ||
        type != want || length < need) {
      fail(msg);
      return nullptr;
    }
    return static_cast<T*>(data);  // data already points at the view's first element
  }
};

}  // namespace sayre

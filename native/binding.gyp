{
  "targets": [
    {
      "target_name": "sayre_native",
      "sources": ["src/addon.cc", "src/image.cc", "src/image-entry.cc", "src/lstm.cc", "src/pool.cc", "src/skinny.cc"],
      "include_dirs": ["<!@(pkg-config --cflags-only-I openblas 2>/dev/null | sed -e 's/-I//g')"],
      "libraries": ["<!@(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)"],
      "cflags_cc": ["-O3", "-std=c++20", "-fno-math-errno", "-fno-trapping-math", "-Wno-maybe-uninitialized", "-Wno-uninitialized"],
      "cflags_cc!": ["-O2"],
      "defines": ["NAPI_VERSION=8"]
    },
    {
      "target_name": "sayre_env",
      "sources": ["src/env.cc"],
      "cflags_cc": ["-O2", "-std=c++20"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}

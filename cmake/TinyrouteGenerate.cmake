# TinyrouteGenerate.cmake - tinyroute_add_server(), for firmware builds.
#
#   tinyroute_add_server(TARGET name SPEC file.routes
#                        [SOURCES handler.c ...] [OUTPUT_DIR dir]
#                        [LIBRARY])
#
# Runs `tinyroute gen` on the build host whenever the spec, the generator
# (and so its embedded templates and runtime) changes, and builds the
# generated C with the handlers into an executable (or, with LIBRARY, a
# static library for a program that embeds the server with `main off`).
#
# The generator is a host tool.  It is, in order: the TINYROUTE_EXECUTABLE
# cache variable (set it in cross builds; find_package(tinyroute) sets it to
# the installed generator), the `tinyroute` target of this build unless this
# is a cross build (CMAKE_CROSSCOMPILING: that target would be a target
# binary), or a `tinyroute` program found on the build host's PATH.  The
# generator runs re2c, which must be on the build host's PATH too.

set(TINYROUTE_EXECUTABLE "" CACHE FILEPATH
    "tinyroute generator to run on the build host (empty: build or find it)")
# Global, not a variable: the function is called from directories that do
# not see this file's scope (a project that add_subdirectory()s tinyroute).
get_filename_component(_tinyroute_runtime_dir "${CMAKE_CURRENT_LIST_DIR}/../runtime" ABSOLUTE)
set_property(GLOBAL PROPERTY TINYROUTE_DEFAULT_RUNTIME_DIR "${_tinyroute_runtime_dir}")
unset(_tinyroute_runtime_dir)
set_property(GLOBAL PROPERTY TINYROUTE_FORTIFY_SHIM "${CMAKE_CURRENT_LIST_DIR}/musl_fortify.c")

# The file names `tinyroute gen` writes for a spec named NAME.  They depend
# on the name only: every runtime file is always written, and features the
# spec does not use compile to nothing.
function(_tinyroute_outputs spec_name runtime_dir out_var)
  set(files ${spec_name}_routes.c ${spec_name}_lexer.c ${spec_name}_main.c)
  file(GLOB runtime_c RELATIVE ${runtime_dir} ${runtime_dir}/*.c)
  if(NOT runtime_c)
    message(FATAL_ERROR "tinyroute_add_server: no runtime sources in '${runtime_dir}' "
            "(TINYROUTE_RUNTIME_DIR)")
  endif()
  list(SORT runtime_c)
  list(APPEND files ${runtime_c})
  set(${out_var} ${files} PARENT_SCOPE)
endfunction()

# A spec with `mount` lines also makes NAME_assets.c from the mounted
# trees, which the rule then depends on (file by file, re-globbed when a
# file comes or goes).  Appends to the names in names_var; sets deps_var.
function(_tinyroute_mounts spec spec_name names_var deps_var)
  file(STRINGS "${spec}" mounts REGEX "^[ \t]*mount[ \t]+[^ \t]+[ \t]+\"[^\"]*\"")
  set(deps "")
  get_filename_component(spec_dir "${spec}" DIRECTORY)
  foreach(m IN LISTS mounts)
    string(REGEX REPLACE "^[ \t]*mount[ \t]+[^ \t]+[ \t]+\"([^\"]*)\".*" "\\1" dir "${m}")
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${spec_dir}")
    file(GLOB_RECURSE files CONFIGURE_DEPENDS LIST_DIRECTORIES true "${dir}/*")
    list(APPEND deps "${dir}" ${files})
  endforeach()
  if(mounts)
    set(${names_var} ${${names_var}} ${spec_name}_assets.c PARENT_SCOPE)
  endif()
  set(${deps_var} ${deps} PARENT_SCOPE)
endfunction()

function(tinyroute_add_server)
  cmake_parse_arguments(TR "LIBRARY" "TARGET;SPEC;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT TR_TARGET OR NOT TR_SPEC)
    message(FATAL_ERROR "tinyroute_add_server: TARGET and SPEC are required")
  endif()
  if(TR_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tinyroute_add_server: unknown arguments: ${TR_UNPARSED_ARGUMENTS}")
  endif()
  get_filename_component(spec "${TR_SPEC}" ABSOLUTE)
  if(NOT TR_OUTPUT_DIR)
    set(TR_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${TR_TARGET}_tinyroute")
  endif()

  # The spec's `name` is the prefix of the generated files; re-read it
  # whenever the spec changes.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${spec}")
  file(STRINGS "${spec}" name_line REGEX "^[ \t]*name[ \t]+[A-Za-z_][A-Za-z0-9_]*")
  set(spec_name app)
  if(name_line)
    list(GET name_line 0 name_line)
    string(REGEX REPLACE "^[ \t]*name[ \t]+([A-Za-z_][A-Za-z0-9_]*).*" "\\1" spec_name "${name_line}")
  endif()

  if(TINYROUTE_EXECUTABLE)
    set(generator "${TINYROUTE_EXECUTABLE}")
    set(generator_dep "${TINYROUTE_EXECUTABLE}")
  elseif(TARGET tinyroute AND NOT CMAKE_CROSSCOMPILING)
    set(generator "$<TARGET_FILE:tinyroute>")
    set(generator_dep tinyroute)
  else()
    find_program(TINYROUTE_FOUND_EXECUTABLE tinyroute NO_CMAKE_FIND_ROOT_PATH)
    if(NOT TINYROUTE_FOUND_EXECUTABLE)
      message(FATAL_ERROR "tinyroute_add_server: no tinyroute generator for the build host; "
              "set TINYROUTE_EXECUTABLE to a host build's gen/tinyroute or an installed "
              "bin/tinyroute")
    endif()
    set(generator "${TINYROUTE_FOUND_EXECUTABLE}")
    set(generator_dep "${TINYROUTE_FOUND_EXECUTABLE}")
  endif()

  if(DEFINED TINYROUTE_RUNTIME_DIR)
    set(runtime_dir "${TINYROUTE_RUNTIME_DIR}")
  else()
    get_property(runtime_dir GLOBAL PROPERTY TINYROUTE_DEFAULT_RUNTIME_DIR)
  endif()
  _tinyroute_outputs(${spec_name} "${runtime_dir}" names)
  _tinyroute_mounts("${spec}" ${spec_name} names asset_deps)
  set(outputs "")
  foreach(n IN LISTS names)
    list(APPEND outputs "${TR_OUTPUT_DIR}/${n}")
  endforeach()
  list(APPEND outputs "${TR_OUTPUT_DIR}/${spec_name}_routes.h" "${TR_OUTPUT_DIR}/tr_config.h")

  # gen leaves unchanged files untouched; the stamp keeps the rule from
  # running again when nothing changed.  The output directory is a
  # dependency too: deleting (or adding) a file in it makes it newer than
  # the stamp, so a generated file removed by hand comes back with any
  # generator, Makefiles included.
  set(stamp "${TR_OUTPUT_DIR}.stamp")
  file(MAKE_DIRECTORY "${TR_OUTPUT_DIR}")
  add_custom_command(
    OUTPUT ${stamp}
    BYPRODUCTS ${outputs}
    COMMAND ${generator} gen "${spec}" -o "${TR_OUTPUT_DIR}"
    COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
    DEPENDS "${spec}" ${generator_dep} "${TR_OUTPUT_DIR}" ${asset_deps}
    COMMENT "tinyroute gen ${TR_SPEC}"
    VERBATIM)
  add_custom_target(${TR_TARGET}_generate DEPENDS ${stamp})

  set(c_outputs "")
  foreach(n IN LISTS names)
    list(APPEND c_outputs "${TR_OUTPUT_DIR}/${n}")
  endforeach()
  if(TR_LIBRARY)
    add_library(${TR_TARGET} STATIC ${c_outputs} ${TR_SOURCES})
  else()
    add_executable(${TR_TARGET} ${c_outputs} ${TR_SOURCES})
  endif()
  add_dependencies(${TR_TARGET} ${TR_TARGET}_generate)
  # A spec with a TLS listener needs BearSSL (Debian: libbearssl-dev, and
  # libbearssl-dev:ARCH for a cross target); no other spec links it.
  file(STRINGS "${spec}" tls_line REGEX "^[ \t]*listen[ \t]+[^#]*[ \t]tls([ \t#].*)?$")
  if(tls_line)
    # A static link (the musl toolchains) needs the archive, not the .so.
    set(names bearssl)
    if(CMAKE_EXE_LINKER_FLAGS MATCHES "(^| )-static( |$)")
      set(names libbearssl.a bearssl)
    endif()
    find_library(TINYROUTE_BEARSSL_LIBRARY NAMES ${names})
    find_path(TINYROUTE_BEARSSL_INCLUDE bearssl.h)
    if(NOT TINYROUTE_BEARSSL_LIBRARY OR NOT TINYROUTE_BEARSSL_INCLUDE)
      message(FATAL_ERROR "tinyroute_add_server: ${TR_SPEC} has a TLS listener and BearSSL "
              "was not found (libbearssl-dev)")
    endif()
    target_include_directories(${TR_TARGET} PRIVATE "${TINYROUTE_BEARSSL_INCLUDE}")
    # Debian's libbearssl.a is built with _FORTIFY_SOURCE: a C library
    # without its checks (musl) gets the two it calls.
    include(CheckFunctionExists)
    check_function_exists(__memcpy_chk TINYROUTE_HAVE_MEMCPY_CHK)
    if(NOT TINYROUTE_HAVE_MEMCPY_CHK)
      get_property(shim GLOBAL PROPERTY TINYROUTE_FORTIFY_SHIM)
      target_sources(${TR_TARGET} PRIVATE "${shim}")
    endif()
    if(TR_LIBRARY)
      target_link_libraries(${TR_TARGET} PUBLIC "${TINYROUTE_BEARSSL_LIBRARY}")
    else()
      target_link_libraries(${TR_TARGET} PRIVATE "${TINYROUTE_BEARSSL_LIBRARY}")
    endif()
  endif()
  target_include_directories(${TR_TARGET} PUBLIC "${TR_OUTPUT_DIR}")
  _tinyroute_size_profile(${TR_TARGET} ${TR_LIBRARY})
endfunction()

# The size profile: in a MinSizeRel build (-Os), every function and object
# in its own section so the linker drops what no route reaches, no unwind
# tables (C needs none), no build-id note, no RELRO page, a stripped file,
# and on x86_64 no separate code segment (it pads a tiny program to
# several pages).  Flags any firmware build can pass; see bench/size.
function(_tinyroute_size_profile target is_library)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    return()
  endif()
  set(size "$<CONFIG:MinSizeRel>")
  target_compile_options(${target} PRIVATE
    "$<${size}:-ffunction-sections;-fdata-sections;-fno-asynchronous-unwind-tables>")
  if(is_library)
    return()                    # linking is the program's
  endif()
  target_link_options(${target} PRIVATE
    "$<${size}:LINKER:--gc-sections;LINKER:--build-id=none;LINKER:-z,norelro;-s>")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
    target_link_options(${target} PRIVATE "$<${size}:LINKER:-z,noseparate-code>")
  endif()
endfunction()

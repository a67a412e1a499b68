# armhf.cmake - ARMv7-A hard-float, Thumb-2, glibc, dynamically linked.
# Debian: apt-get install gcc-arm-linux-gnueabihf (scripts/deps.sh --cross).
#   cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/armhf.cmake \
#         -DTINYROUTE_EXECUTABLE=$PWD/build/gen/tinyroute
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_C_FLAGS_INIT "-march=armv7-a+fp -mfloat-abi=hard -mthumb")

# The target's libraries and headers; programs (tinyroute, re2c) are the
# build host's; packages from both (find_package(tinyroute) is a host tool).
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Runs target programs on the build host (qemu-user), e.g. for CTest.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm -L /usr/arm-linux-gnueabihf)

# SPDX-License-Identifier: GPL-2.0-only
# Run at every build (cmake -P): writes OUT (version.cpp) with VERSION and the git revision of
# SOURCE_DIR, rewriting it only when they changed so a build without a new commit relinks nothing.
# Outside a git checkout (a source tarball) the revision is empty.
set(revision "")
find_program(GIT git)
if(GIT AND EXISTS "${SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
    if(failed)
        set(revision "")
    else()
        execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                        OUTPUT_VARIABLE changes ERROR_QUIET)
        if(changes)
            string(APPEND revision "-dirty")
        endif()
    endif()
endif()
configure_file("${SOURCE_DIR}/app/version.cpp.in" "${OUT}" @ONLY)

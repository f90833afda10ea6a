# SPDX-License-Identifier: GPL-2.0-only
# What `cmake --install` puts beside the programs (desktop metadata, completions, docs, samples)
# and the Debian package made of it all:
#   cmake --build build && cmake --build build --target package   (or: cd build && cpack)
# gives build/carveout_VERSION_ARCH.deb; `apt install ./carveout_*.deb` installs it.
include(GNUInstallDirs)
set(res ${PROJECT_SOURCE_DIR}/resources)

# Desktop metadata (validated by tests/package/tst_desktop.sh). dpkg's triggers of
# shared-mime-info, desktop-file-utils and the icon theme pick the files up; no maintainer scripts.
configure_file(${res}/org.example.carveout.metainfo.xml ${PROJECT_BINARY_DIR}/org.example.carveout.metainfo.xml @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/org.example.carveout.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${res}/carveout-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME carveout.xml)
if(CARVEOUT_BUILD_GUI)
    install(FILES ${res}/org.example.carveout.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${res}/carveout.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

# Shell completions (tests/package/tst_completion.sh): bash-completion loads the file named after
# the command, so the one file goes in under each name.
foreach(program carveout-cli carveout carveout-capture)
    install(FILES ${res}/completions/carveout.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
            RENAME ${program})
endforeach()
install(FILES ${res}/completions/_carveout-cli DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The documentation keeps the checkout's layout, so the README's links hold in /usr/share/doc.
set(doc ${CMAKE_INSTALL_DATADIR}/doc/carveout)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${doc})
install(FILES ${res}/copyright DESTINATION ${doc})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${doc}/docs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/samples/ DESTINATION ${doc}/samples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME carveout)
set(CPACK_PACKAGE_VENDOR "The Carveout authors")
set(CPACK_PACKAGE_CONTACT "The Carveout authors <carveout@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "reserved-memory layout studio for Linux device trees")
# The package's long description (its first line is the summary above; CPack indents each line).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Carveout shows the /reserved-memory layout of a board's device tree (.dts with
its includes, or .dtb) as the kernel of a chosen version sees it at boot, checks it with the
kernel's own rules, edits it by patching only the defining source lines, and replays workloads on
the kernel's allocators. carveout is the desktop studio, carveout-cli the command line for scripts
and CI (text, JSON, SARIF, GitLab Code Quality), carveout-capture records a running board.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://example.invalid/carveout)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Libraries from dpkg-shlibdeps; cpp and dtc are run, not linked.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "device-tree-compiler, cpp")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, zsh")
include(CPack)

# `cmake --install` and the Debian package (cpack -G DEB; scripts/package.sh runs it):
# the binary (web page and models are compiled in), the systemd unit, the environment
# file for settings and secrets, and the README.
include(GNUInstallDirs)
# Installing (and packaging) needs only the binary, not the tests: build target citeqa first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS citeqa RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/citeqa.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/debian/citeqa.default
        DESTINATION /etc/default RENAME citeqa)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/deploy/nginx/citeqa.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME citeqa)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "citeqa maintainers <citeqa@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "question answering over a folder of articles, with citations")
set(CPACK_PACKAGE_DESCRIPTION
    "citeqa answers plain-English questions from a folder of .txt, .md and .html articles
with a short answer whose every sentence cites the passage it comes from, or says that the
articles do not answer. It serves a chat page, a JSON API and Slack, as the systemd
service citeqa.service (settings in /etc/default/citeqa).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries found by dpkg-shlibdeps, plus the data packages read at run time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "wamerican, wordnet-base")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx")
# The environment file is a conffile: an upgrade keeps the administrator's settings.
file(WRITE ${PROJECT_BINARY_DIR}/debian/conffiles "/etc/default/citeqa\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/debian/conffiles;${PROJECT_SOURCE_DIR}/deploy/debian/postinst;${PROJECT_SOURCE_DIR}/deploy/debian/prerm;${PROJECT_SOURCE_DIR}/deploy/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)

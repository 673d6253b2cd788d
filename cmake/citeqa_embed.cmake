# citeqa_embed_files(OUTPUT file.cc MANIFEST manifest.txt HEADER h NAMESPACE ns TYPE t
#                    FUNCTION f COMMENT text DEPENDS files...)
# Generates OUTPUT at build time from the "name|path" lines of MANIFEST (see
# cmake/embed_files.cmake), again whenever one of DEPENDS changes.
function(citeqa_embed_files)
  cmake_parse_arguments(E "" "OUTPUT;MANIFEST;HEADER;NAMESPACE;TYPE;FUNCTION;COMMENT" "DEPENDS"
                        ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DMANIFEST=${E_MANIFEST} -DOUTPUT=${E_OUTPUT} -DHEADER=${E_HEADER}
            -DNAMESPACE=${E_NAMESPACE} -DTYPE=${E_TYPE} -DFUNCTION=${E_FUNCTION}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake ${E_MANIFEST} ${E_DEPENDS}
    COMMENT "${E_COMMENT}"
    VERBATIM)
endfunction()

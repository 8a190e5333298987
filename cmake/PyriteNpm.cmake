# pyrite_npm_ci(<folder with package.json + package-lock.json> <install folder>)
# Installs the pinned npm packages of a folder (npm ci) into the build tree at configure time, again
# only when the lock file changes. The npm registry is the one network source the build uses.
function(pyrite_npm_ci source destination)
    find_program(PYRITE_NPM npm)
    if(NOT PYRITE_NPM)
        message(FATAL_ERROR "npm is needed for ${source} (scripts/install-deps.sh installs it)")
    endif()
    file(MAKE_DIRECTORY ${destination})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
        ${source}/package.json ${source}/package-lock.json)
    file(SHA256 ${source}/package-lock.json lock_hash)
    if(EXISTS ${destination}/installed-${lock_hash})
        return()
    endif()
    file(COPY ${source}/package.json ${source}/package-lock.json DESTINATION ${destination})
    message(STATUS "npm ci in ${destination} (from ${source}/package-lock.json)")
    execute_process(COMMAND ${PYRITE_NPM} ci --no-audit --no-fund --loglevel=error
                    WORKING_DIRECTORY ${destination}
                    RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "npm ci in ${destination} failed (${result}); it needs the npm registry")
    endif()
    file(GLOB old_stamps ${destination}/installed-*)
    if(old_stamps)
        file(REMOVE ${old_stamps})
    endif()
    file(TOUCH ${destination}/installed-${lock_hash})
endfunction()

#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Installs Odoo 18.0 into .run/ for a machine whose python3 cannot import it
# (scripts/env.sh offers it from make run / make test):
#   .run/odoo   the source: a shallow checkout of branch ODOO_BRANCH of
#               ODOO_SOURCE, a git URL (default Odoo's official repository),
#               a local git repository or a source tarball (.tar, .tar.gz...)
#   .run/venv   a virtual environment of python3 with Odoo's requirements for
#               that Python (scripts/odoo_requirements.py), on whose path
#               .run/odoo is; the scripts use its python from then on
# then wkhtmltopdf and fonts for the printouts, from the system's packages
# when missing. System packages (Debian / Ubuntu, apt) are installed only as
# root and unless DEALER_SYSTEM_PACKAGES=0; otherwise the command is shown.
# DEALER_VENV_SYSTEM_SITE_PACKAGES=1 lets the virtual environment see the
# system's Python packages, so that those already installed are not fetched.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ODOO_SOURCE="${ODOO_SOURCE:-https://github.com/odoo/odoo.git}"
ODOO_BRANCH="${ODOO_BRANCH:-18.0}"
BASE_PYTHON="${DEALER_BASE_PYTHON:-python3}"

may_install_system_packages() {
    [ "${DEALER_SYSTEM_PACKAGES:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null
}

missing_debian_packages() {
    local package
    command -v dpkg-query >/dev/null || return 0
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
    done
}

# install_system_packages WHY PACKAGE...: installs those of the Debian
# packages that are missing; returns 1 when some are missing and may not be.
install_system_packages() {
    local why="$1"
    shift
    local -a missing
    mapfile -t missing < <(missing_debian_packages "$@")
    [ "${#missing[@]}" = 0 ] && return 0
    if ! may_install_system_packages; then
        echo "warning: $why needs: sudo apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "Installing ${missing[*]} ($why) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

fetch_source() {
    local target="$ODOO_SRC_DIR" partial="$ODOO_SRC_DIR.partial"
    if [ -s "$target/odoo/release.py" ]; then
        echo "Odoo's source is already in $target."
        return 0
    fi
    rm -rf "$partial"
    if [ -f "$ODOO_SOURCE" ]; then
        echo "Unpacking Odoo from $ODOO_SOURCE ..."
        mkdir -p "$partial.tar"
        tar -xf "$ODOO_SOURCE" -C "$partial.tar" || die "cannot unpack $ODOO_SOURCE"
        # A release tarball holds one top folder (odoo-18.0.post.../): take the one with odoo/release.py.
        local release
        release="$(find "$partial.tar" -maxdepth 3 -path '*/odoo/release.py' -print -quit)"
        [ -n "$release" ] || die "$ODOO_SOURCE holds no Odoo source (odoo/release.py)"
        mv "$(dirname "$(dirname "$release")")" "$partial"
        rm -rf "$partial.tar"
    else
        command -v git >/dev/null || install_system_packages "fetching Odoo" git \
            || die "git is missing: install it (sudo apt-get install git)"
        if [ -d "$ODOO_SOURCE" ]; then
            # A local repository: git links its objects instead of copying them,
            # which is cheaper than a shallow copy (git ignores --depth here).
            echo "Checking out branch $ODOO_BRANCH of $ODOO_SOURCE ..."
            git clone --quiet --single-branch --no-tags --branch "$ODOO_BRANCH" "$ODOO_SOURCE" "$partial" \
                || die "cannot check out branch $ODOO_BRANCH of $ODOO_SOURCE"
        else
            echo "Downloading Odoo $ODOO_BRANCH from $ODOO_SOURCE (a shallow clone, several hundred MB) ..."
            git clone --quiet --depth 1 --single-branch --no-tags --branch "$ODOO_BRANCH" "$ODOO_SOURCE" "$partial" \
                || die "cannot clone branch $ODOO_BRANCH of $ODOO_SOURCE"
        fi
    fi
    grep -Eq '^version_info = \(18, ' "$partial/odoo/release.py" \
        || die "$ODOO_SOURCE is not Odoo 18 ($(grep -E '^version_info' "$partial/odoo/release.py"))"
    mv "$partial" "$target"
}

make_venv() {
    if ! "$BASE_PYTHON" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
        echo "warning: Odoo 18 supports Python 3.10 to 3.12; $("$BASE_PYTHON" --version 2>&1) may not work" >&2
    fi
    if [ ! -x "$ODOO_VENV/bin/python" ]; then
        echo "Creating the virtual environment $ODOO_VENV ..."
        local -a options=()
        [ "${DEALER_VENV_SYSTEM_SITE_PACKAGES:-0}" = 1 ] && options+=(--system-site-packages)
        if ! "$BASE_PYTHON" -m venv "${options[@]}" "$ODOO_VENV.partial" 2>/dev/null; then
            # Debian and Ubuntu ship venv's pip in a package of its own.
            rm -rf "$ODOO_VENV.partial"
            install_system_packages "a virtual environment" python3-venv \
                || die "cannot create a virtual environment: install python3-venv"
            "$BASE_PYTHON" -m venv "${options[@]}" "$ODOO_VENV.partial" || die "cannot create $ODOO_VENV"
        fi
        mv "$ODOO_VENV.partial" "$ODOO_VENV"
    fi
    # `import odoo` finds the checkout through a .pth file, before any other Odoo.
    local site
    site="$("$ODOO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ODOO_SRC_DIR" >"$site/dealer-odoo.pth"
}

install_requirements() {
    local pins="$RUN_DIR/odoo-requirements.txt" python="$ODOO_VENV/bin/python"
    "$python" "$REPO_ROOT/scripts/odoo_requirements.py" "$ODOO_SRC_DIR/requirements.txt" >"$pins"
    # python-ldap serves only the auth_ldap addon and compiles against
    # OpenLDAP's headers: its failure is a warning, as on Windows for Odoo.
    grep -v '^python-ldap' "$pins" >"$pins.core"
    grep '^python-ldap' "$pins" >"$pins.ldap" || true
    if ! "$python" "$REPO_ROOT/scripts/missing_requirements.py" "$pins.core" >/dev/null; then
        # psycopg2 and python-ldap build from source: compiler and headers.
        install_system_packages "building Odoo's Python requirements" \
            build-essential python3-dev libpq-dev libldap2-dev libsasl2-dev || true
        echo "Installing Odoo's Python requirements into $ODOO_VENV (a few minutes) ..."
        "$python" -m pip install --quiet --disable-pip-version-check -r "$pins.core" \
            || die "installing Odoo's Python requirements failed (see above)"
    fi
    if [ -s "$pins.ldap" ] && ! "$python" "$REPO_ROOT/scripts/missing_requirements.py" "$pins.ldap" >/dev/null; then
        "$python" -m pip install --quiet --disable-pip-version-check -r "$pins.ldap" 2>/dev/null \
            || echo "warning: python-ldap did not install: Odoo's LDAP logins (auth_ldap) will not work" >&2
    fi
    rm -f "$pins.core" "$pins.ldap"
}

install_printing() {
    # Odoo prints through wkhtmltopdf. Debian's and Ubuntu's builds use an
    # unpatched Qt, which leaves out the printouts' header and footer; the
    # build "with patched qt" of wkhtmltopdf.org prints them.
    if ! command -v wkhtmltopdf >/dev/null; then
        install_system_packages "PDF printouts" wkhtmltopdf || true
    fi
    install_system_packages "the fonts of the printouts" fonts-dejavu-core fonts-liberation || true
}

echo "Installing Odoo $ODOO_BRANCH into $RUN_DIR ..."
fetch_source
make_venv
install_requirements
install_printing
"$ODOO_VENV/bin/python" -c 'import odoo.release as r; assert r.version_info[0] == 18' \
    || die "the Odoo installed in $ODOO_VENV does not import"
echo "Odoo $ODOO_BRANCH is installed: $ODOO_SRC_DIR, used through $ODOO_VENV/bin/python."

# SPDX-License-Identifier: GPL-2.0
#
# The TAP runner the shell tests share. Sourced, never run: it is
# installed without the execute bit, so the VM's /init does not take it
# for a test. A test is a function test_NAME that returns 0 (pass),
# 4 (skip, kselftest's KSFT_SKIP) or anything else (fail).

diag() { echo "# $*"; }

# ktap_skip_all REASON NAME...: the plan, every test skipped for REASON.
ktap_skip_all() {
	ktap_why=$1
	shift
	echo "TAP version 13"
	echo "1..$#"
	ktap_n=0
	for ktap_name; do
		ktap_n=$((ktap_n + 1))
		echo "ok $ktap_n $ktap_name # SKIP $ktap_why"
	done
}

# ktap_run NAME...: the plan, then test_NAME for each; returns 1 when any
# failed. The reason printed for a skip: the test's own KTAP_TEST_SKIP_WHY
# where it set one, else KTAP_SKIP_WHY where set.
ktap_run() {
	echo "TAP version 13"
	echo "1..$#"
	ktap_n=0
	ktap_failed=0
	for ktap_name; do
		ktap_n=$((ktap_n + 1))
		KTAP_TEST_SKIP_WHY=
		"test_$ktap_name"
		case $? in
		0) echo "ok $ktap_n $ktap_name" ;;
		4)	ktap_why=${KTAP_TEST_SKIP_WHY:-$KTAP_SKIP_WHY}
			echo "ok $ktap_n $ktap_name # SKIP${ktap_why:+ $ktap_why}" ;;
		*) echo "not ok $ktap_n $ktap_name"; ktap_failed=1 ;;
		esac
	done
	return $ktap_failed
}

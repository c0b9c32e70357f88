package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
    @Test
    void serialCollectorHeapIsYoungPlusTenuredWithoutMetaspace() {
        String info = "3911:\n"
                + " def new generation   total 29504K, used 27243K [0x0000000687400000, 0x0000000689400000)\n"
                + "  eden space 26240K,  91% used [0x0000000687400000, 0x0000000688b6afa8)\n"
                + " tenured generation   total 32768K, used 359K [0x0000000689400000, 0x000000068b400000)\n"
                + "   the space 32768K,   1% used [0x0000000689400000, 0x0000000689459c58)\n"
                + " Metaspace       used 18973K, committed 19200K, reserved 1114112K\n"
                + "  class space    used 2261K, committed 2368K, reserved 1048576K\n";
        assertThat(ProcStats.heapUsedBytes(info)).isEqualTo((27243L + 359L) * 1024);
    }

    @Test
    void g1HeapIsItsOneLine() {
        String info = " garbage-first heap   total 65536K, used 11010K [0x0000000700000000, 0x0000000800000000)\n"
                + "  region size 1024K, 2 young (2048K), 0 survivors (0K)\n"
                + " Metaspace       used 5736K, committed 5888K, reserved 1114112K\n";
        assertThat(ProcStats.heapUsedBytes(info)).isEqualTo(11010L * 1024);
        assertThat(ProcStats.heapUsedBytes("not a jvm")).isEqualTo(-1);
    }

    @Test
    void aListOfPidsIsTheSumOfTheirCpuAndOneMissingPidMakesItMissing() {
        long one = ProcStats.cpuMicros("self");
        long both = ProcStats.cpuMicros("self,self"); // read later: each part at least the first reading
        assertThat(one).isPositive();
        assertThat(both).isGreaterThanOrEqualTo(2 * one);
        assertThat(ProcStats.cpuMicros("self,2147483646")).isEqualTo(-1);
    }

    /** This JVM has compiler threads (the tests never run with -Xint); a process without them reads -1. */
    @Test
    void jitCpuIsReadFromTheCompilerThreadsOfAJvm() {
        String self = Long.toString(ProcessHandle.current().pid());
        assertThat(ProcStats.jitCpuMicros(self)).isGreaterThanOrEqualTo(0);
        assertThat(ProcStats.jitCpuMicros(self)).isLessThanOrEqualTo(ProcStats.cpuMicros(self));
        assertThat(ProcStats.jitCpuMicros("1")).as("init has no compiler threads").isEqualTo(-1);
        assertThat(ProcStats.jitCpuMicros("2147483646")).isEqualTo(-1);
    }
}

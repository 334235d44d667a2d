// jemalloc's settings for the programs that link it (CMake: certdrill_use_jemalloc). jemalloc
// reads this variable at its first allocation; MALLOC_CONF in the environment still overrides it.
//
// thp:always puts the heap on transparent huge pages (2 MiB), also where the system only grants
// them to memory that asks (Debian's default, "madvise"). A start builds the deck library and
// reads answers into fresh memory; on 4 KiB pages each first touch is a page fault, and on a
// virtual machine those faults were about a third of a start's CPU. metadata_thp does the same
// for jemalloc's own bookkeeping.
#ifdef CERTDRILL_JEMALLOC
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:always";
}
#endif

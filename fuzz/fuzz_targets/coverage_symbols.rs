// Included by every fuzz target. libFuzzer prints its coverage report (`-print_coverage=1`) only
// when a sanitizer runtime can symbolize code addresses, and these targets run without one. These
// two stand-ins give it the bare addresses instead (each `%` directive of the format becomes the
// address in hex), which `own_coverage.py` then symbolizes from the binary's debug information, so
// that coverage can be counted for Gloss's own source apart from its dependencies.

/// libFuzzer's hook for describing a code address: writes `fmt` with every `%x` directive replaced
/// by the address, as `0x…`, NUL-terminated, cut to `out_len` bytes.
///
/// # Safety
/// libFuzzer passes a NUL-terminated `fmt` and a buffer `out` of `out_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __sanitizer_symbolize_pc(
    pc: *const std::ffi::c_void,
    fmt: *const std::ffi::c_char,
    out: *mut std::ffi::c_char,
    out_len: usize,
) {
    if out.is_null() || out_len == 0 {
        return;
    }
    let fmt = if fmt.is_null() { &b""[..] } else { unsafe { std::ffi::CStr::from_ptr(fmt) }.to_bytes() };
    let mut text = Vec::with_capacity(fmt.len() + 16);
    let mut directive = false;
    for &b in fmt {
        if directive {
            text.extend_from_slice(format!("{:#x}", pc as usize).as_bytes());
            directive = false;
        } else if b == b'%' {
            directive = true;
        } else {
            text.push(b);
        }
    }
    let n = text.len().min(out_len - 1);
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), out.cast::<u8>(), n);
        *out.add(n) = 0;
    }
}

/// libFuzzer's hook for the module an address is in: always this program, `/proc/self/exe`,
/// with the address itself as the offset (`own_coverage.py` works out the load address).
///
/// # Safety
/// libFuzzer passes a buffer `module` of `module_len` bytes and a valid `offset`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __sanitizer_get_module_and_offset_for_pc(
    pc: *const std::ffi::c_void,
    module: *mut std::ffi::c_char,
    module_len: usize,
    offset: *mut *const std::ffi::c_void,
) -> std::ffi::c_int {
    let name = b"/proc/self/exe";
    if module.is_null() || module_len <= name.len() || offset.is_null() {
        return 0;
    }
    unsafe {
        std::ptr::copy_nonoverlapping(name.as_ptr(), module.cast::<u8>(), name.len());
        *module.add(name.len()) = 0;
        *offset = pc;
    }
    1
}

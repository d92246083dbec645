//! Objects handed to C (service providers, errors): boxed, and tagged with what they are, so a
//! pointer of the wrong kind is refused (`invalid_input`, or ignored by `*_free`) instead of
//! being used as something it is not. The tag is a guard against mix-ups in wrappers, not a
//! licence for use after free: that stays undefined behaviour, as in any C library.

/// The heap object behind every handle: the tag first, at a fixed offset for every kind.
#[repr(C)]
struct Tagged<T> {
    tag: u64,
    value: T,
}

/// The tag of a service provider handle.
pub(crate) const SP: u64 = u64::from_le_bytes(*b"eidpl:sp");
/// The tag of an error object.
pub(crate) const ERROR: u64 = u64::from_le_bytes(*b"eidpl:er");
/// Written over the tag just before an object is dropped.
const FREED: u64 = u64::from_le_bytes(*b"freed:--");

/// Moves `value` to the heap and returns the pointer C will hold (as the opaque type `P`).
pub(crate) fn into_raw<T, P>(tag: u64, value: T) -> *mut P {
    Box::into_raw(Box::new(Tagged { tag, value })).cast()
}

/// The object behind `ptr`, or `None` for NULL or a pointer of another kind.
///
/// # Safety
/// `ptr` is NULL or points to a live object from [`into_raw`] (of any kind), not freed while
/// the returned reference is used.
pub(crate) unsafe fn borrow<'a, T, P>(ptr: *const P, tag: u64) -> Option<&'a T> {
    if ptr.is_null() {
        return None;
    }
    let tagged = ptr.cast::<Tagged<T>>();
    // SAFETY: every object from `into_raw` is a `Tagged<_>` (repr(C)) starting with the u64
    // tag, so reading the first 8 bytes is in bounds whatever its kind.
    if unsafe { ptr.cast::<u64>().read() } != tag {
        return None;
    }
    // SAFETY: the tag says this is a `Tagged<T>`; it lives until the caller frees it.
    Some(unsafe { &(*tagged).value })
}

/// Drops the object behind `ptr`; NULL and pointers of another kind are ignored.
///
/// # Safety
/// As for [`borrow`], and no reference to the object is used afterwards (no other thread is
/// using it, and it is not freed twice).
pub(crate) unsafe fn free<T, P>(ptr: *mut P, tag: u64) {
    if ptr.is_null() {
        return;
    }
    let tagged = ptr.cast::<Tagged<T>>();
    // SAFETY: as in `borrow`, the first 8 bytes of any of our objects are its tag.
    if unsafe { ptr.cast::<u64>().read() } != tag {
        return;
    }
    // SAFETY: the tag says this is a `Tagged<T>` from `Box::into_raw`; the caller gives up
    // every reference to it. The tag is overwritten first so a stale copy reads as freed.
    unsafe {
        (*tagged).tag = FREED;
        drop(Box::from_raw(tagged));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Opaque;

    #[test]
    fn a_pointer_of_another_kind_is_refused() {
        let p: *mut Opaque = into_raw(SP, String::from("service provider"));
        // SAFETY: `p` is live until the `free` below.
        unsafe {
            assert_eq!(borrow::<String, _>(p, SP).unwrap(), "service provider");
            assert!(borrow::<String, _>(p, ERROR).is_none());
            free::<String, _>(p, ERROR); // wrong kind: ignored, still usable
            assert!(borrow::<String, _>(p, SP).is_some());
            assert!(borrow::<String, Opaque>(std::ptr::null(), SP).is_none());
            free::<String, Opaque>(std::ptr::null_mut(), SP);
            free::<String, _>(p, SP);
        }
    }
}

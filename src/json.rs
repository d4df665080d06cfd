//! The core's view of `sigstore-protojson`: its objects carry a core [`Code`].

use crate::error::Code;
pub(crate) use sigstore_protojson::parse;

pub(crate) type Obj<'a> = sigstore_protojson::Obj<'a, Code>;

impl sigstore_protojson::ErrorCode for Code {
    type Error = crate::Error;
    fn error(self, context: alloc::string::String) -> crate::Error {
        crate::Error::new(self, context)
    }
}

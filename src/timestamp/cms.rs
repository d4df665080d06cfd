//! The parts of CMS (RFC 5652) and the RFC 3161 `TimeStampToken` that timestamp verification
//! reads, decoded with `der` derive. Fields nobody reads (certificates, CRLs, unsigned attributes,
//! TSTInfo extensions) are kept as opaque bytes: they are never trusted.
//!
//! Everything here only decodes; the checks live in the parent module.

use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, IntRef};
use der::{Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence, SliceReader, Tag, Tagged, Writer};
use spki::AlgorithmIdentifierRef;

/// id-signedData (RFC 5652 §5.1).
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-ct-TSTInfo (RFC 3161 §2.4.2).
pub const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// id-contentType attribute (RFC 5652 §11.1).
pub const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest attribute (RFC 5652 §11.2).
pub const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");

/// Declares a type that keeps the value bytes of one universal-tagged element undecoded.
macro_rules! raw_value {
    ($(#[$doc:meta])* $name:ident, $tag:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name<'a>(pub &'a [u8]);

        impl<'a> DecodeValue<'a> for $name<'a> {
            type Error = der::Error;
            fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
                Ok($name(reader.read_slice(header.length())?))
            }
        }

        impl EncodeValue for $name<'_> {
            fn value_len(&self) -> der::Result<Length> {
                Length::try_from(self.0.len())
            }
            fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
                writer.write(self.0)
            }
        }

        impl FixedTag for $name<'_> {
            const TAG: Tag = $tag;
        }
    };
}

raw_value!(
    /// The contents of a `SET OF` (or an IMPLICIT-tagged one), not decoded.
    RawSet,
    Tag::Set
);
raw_value!(
    /// The contents of a `SEQUENCE`, not decoded.
    RawSequence,
    Tag::Sequence
);
raw_value!(
    /// An `OCTET STRING`'s contents (DER: primitive only).
    RawOctets,
    Tag::OctetString
);
raw_value!(
    /// A `BIT STRING`'s contents (unused-bits byte included), not decoded.
    RawBitString,
    Tag::BitString
);
raw_value!(
    /// A `GeneralizedTime`'s characters, not decoded: RFC 3161 allows fractional seconds, which
    /// `der::asn1::GeneralizedTime` rejects.
    RawGeneralizedTime,
    Tag::GeneralizedTime
);

/// RFC 3161 §2.4.2 (what Sigstore bundles store as `signedTimestamp`):
/// ```text
/// TimeStampResp ::= SEQUENCE {
///   status         PKIStatusInfo,
///   timeStampToken TimeStampToken OPTIONAL }
/// ```
/// `TimeStampToken` is a [`ContentInfo`].
#[derive(Clone, Debug, Sequence)]
pub struct TimeStampResp<'a> {
    pub status: PkiStatusInfo<'a>,
    #[asn1(optional = "true")]
    pub time_stamp_token: Option<ContentInfo<'a>>,
}

/// RFC 3161 §2.4.2 (RFC 4210 §5.2.3):
/// ```text
/// PKIStatusInfo ::= SEQUENCE {
///   status       PKIStatus,
///   statusString PKIFreeText OPTIONAL,
///   failInfo     PKIFailureInfo OPTIONAL }
/// ```
/// `PKIStatus` is an INTEGER (granted 0, grantedWithMods 1, rejection 2, ... 5); `PKIFreeText` a
/// SEQUENCE OF UTF8String, `PKIFailureInfo` a BIT STRING: both informational, kept raw.
#[derive(Clone, Debug, Sequence)]
pub struct PkiStatusInfo<'a> {
    pub status: u8,
    #[asn1(optional = "true")]
    pub status_string: Option<RawSequence<'a>>,
    #[asn1(optional = "true")]
    pub fail_info: Option<RawBitString<'a>>,
}

/// PKIStatus values that carry a token (RFC 3161 §2.4.2).
pub const PKI_STATUS_GRANTED: u8 = 0;
pub const PKI_STATUS_GRANTED_WITH_MODS: u8 = 1;

/// RFC 5652 §3:
/// ```text
/// ContentInfo ::= SEQUENCE {
///   contentType ContentType,
///   content [0] EXPLICIT ANY DEFINED BY contentType }
/// ```
#[derive(Clone, Debug, Sequence)]
pub struct ContentInfo<'a> {
    pub content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub content: SignedData<'a>,
}

/// RFC 5652 §5.1:
/// ```text
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
/// ```
#[derive(Clone, Debug, Sequence)]
pub struct SignedData<'a> {
    pub version: u8,
    pub digest_algorithms: RawSet<'a>,
    pub encap_content_info: EncapsulatedContentInfo<'a>,
    /// Never trusted: the TSA chain comes from the trusted root.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub certificates: Option<RawSet<'a>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub crls: Option<RawSet<'a>>,
    pub signer_infos: RawSet<'a>,
}

/// RFC 5652 §5.2:
/// ```text
/// EncapsulatedContentInfo ::= SEQUENCE {
///   eContentType ContentType,
///   eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
#[derive(Clone, Debug, Sequence)]
pub struct EncapsulatedContentInfo<'a> {
    pub e_content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub e_content: Option<RawOctets<'a>>,
}

/// RFC 5652 §5.3:
/// ```text
/// SignerInfo ::= SEQUENCE {
///   version CMSVersion,
///   sid SignerIdentifier,
///   digestAlgorithm DigestAlgorithmIdentifier,
///   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///   signatureAlgorithm SignatureAlgorithmIdentifier,
///   signature SignatureValue,
///   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
/// `sid` is a CHOICE, kept as the raw element and read by [`SignerId::from_any`].
#[derive(Clone, Debug, Sequence)]
pub struct SignerInfo<'a> {
    pub version: u8,
    pub sid: AnyRef<'a>,
    pub digest_algorithm: AlgorithmIdentifierRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub signed_attrs: Option<RawSet<'a>>,
    pub signature_algorithm: AlgorithmIdentifierRef<'a>,
    pub signature: RawOctets<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub unsigned_attrs: Option<RawSet<'a>>,
}

/// RFC 5652 §10.2.4:
/// ```text
/// IssuerAndSerialNumber ::= SEQUENCE {
///   issuer Name,
///   serialNumber CertificateSerialNumber }
/// ```
#[derive(Clone, Debug, Sequence)]
pub struct IssuerAndSerialNumber<'a> {
    pub issuer: AnyRef<'a>,
    pub serial_number: IntRef<'a>,
}

/// RFC 5652 §5.3:
/// ```text
/// SignerIdentifier ::= CHOICE {
///   issuerAndSerialNumber IssuerAndSerialNumber,
///   subjectKeyIdentifier [0] SubjectKeyIdentifier }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// DER of the issuer `Name` and of the serial `INTEGER` (both full TLVs).
    IssuerSerial { issuer: Vec<u8>, serial: Vec<u8> },
    /// The key identifier octets.
    SubjectKeyId(Vec<u8>),
}

impl SignerId {
    pub fn from_any(sid: &AnyRef<'_>) -> der::Result<Self> {
        let tag = sid.tag();
        if tag == Tag::Sequence {
            let ias: IssuerAndSerialNumber<'_> = sid.decode_as()?;
            if ias.issuer.tag() != Tag::Sequence {
                return Err(ias.issuer.tag().value_error().into());
            }
            return Ok(SignerId::IssuerSerial { issuer: ias.issuer.to_der()?, serial: ias.serial_number.to_der()? });
        }
        // [0] IMPLICIT SubjectKeyIdentifier (an OCTET STRING): primitive, context-specific 0.
        if tag == (Tag::ContextSpecific { constructed: false, number: der::TagNumber(0) }) {
            return Ok(SignerId::SubjectKeyId(sid.value().to_vec()));
        }
        Err(tag.value_error().into())
    }
}

/// RFC 5652 §5.3:
/// ```text
/// Attribute ::= SEQUENCE {
///   attrType OBJECT IDENTIFIER,
///   attrValues SET OF AttributeValue }
/// ```
#[derive(Clone, Debug, Sequence)]
pub struct Attribute<'a> {
    pub attr_type: ObjectIdentifier,
    pub attr_values: RawSet<'a>,
}

/// RFC 3161 §2.4.2:
/// ```text
/// MessageImprint ::= SEQUENCE {
///   hashAlgorithm AlgorithmIdentifier,
///   hashedMessage OCTET STRING }
/// ```
#[derive(Clone, Debug, Sequence)]
pub struct MessageImprint<'a> {
    pub hash_algorithm: AlgorithmIdentifierRef<'a>,
    pub hashed_message: RawOctets<'a>,
}

/// RFC 3161 §2.4.2:
/// ```text
/// TSTInfo ::= SEQUENCE {
///   version        INTEGER { v1(1) },
///   policy         TSAPolicyId,
///   messageImprint MessageImprint,
///   serialNumber   INTEGER,
///   genTime        GeneralizedTime,
///   accuracy       Accuracy OPTIONAL,
///   ordering       BOOLEAN DEFAULT FALSE,
///   nonce          INTEGER OPTIONAL,
///   tsa            [0] GeneralName OPTIONAL,
///   extensions     [1] IMPLICIT Extensions OPTIONAL }
/// ```
/// `Accuracy` is a SEQUENCE, kept raw. `ordering` is read as OPTIONAL so an explicit FALSE (a
/// common BER habit) is tolerated. `tsa` is EXPLICIT because GeneralName is a CHOICE.
#[derive(Clone, Debug, Sequence)]
pub struct TstInfo<'a> {
    pub version: u8,
    pub policy: ObjectIdentifier,
    pub message_imprint: MessageImprint<'a>,
    pub serial_number: IntRef<'a>,
    pub gen_time: RawGeneralizedTime<'a>,
    #[asn1(optional = "true")]
    pub accuracy: Option<RawSequence<'a>>,
    #[asn1(optional = "true")]
    pub ordering: Option<bool>,
    #[asn1(optional = "true")]
    pub nonce: Option<IntRef<'a>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<RawSequence<'a>>,
}

/// Decode the elements of a `SET OF`/`SEQUENCE OF` body one by one (DER order is not enforced:
/// what matters is which elements are there).
pub fn decode_elements<'a, T: Decode<'a, Error = der::Error>>(body: &'a [u8]) -> der::Result<Vec<T>> {
    let mut reader = SliceReader::new(body)?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(T::decode(&mut reader)?);
    }
    Ok(out)
}

/// The DER of a `SET OF` whose contents are `body`: tag 0x31, DER length, body. Used for the
/// signed attributes (RFC 5652 §5.4), whose original `[0]` tag the signature does not cover.
pub fn set_der(body: &[u8]) -> der::Result<Vec<u8>> {
    RawSet(body).to_der()
}

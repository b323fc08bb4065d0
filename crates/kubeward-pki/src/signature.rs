//! Whether a certificate's signature verifies with a public key, for every
//! key size `openssl verify` takes. ring (behind x509-parser's
//! `verify_signature`) takes RSA keys of 2048 to 8192 bits only, so an
//! RSA-16384 CA or an RSA-1024 certificate would read as forged; RSA goes
//! through the `rsa` crate instead, up to OpenSSL's own ceiling of 16384
//! bits. A weak key is KP104's finding, never a signature that fails.

use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::Digest;
use x509_parser::der_parser::oid::Oid;
use x509_parser::oid_registry::{
    OID_HASH_SHA1, OID_NIST_HASH_SHA256, OID_NIST_HASH_SHA384, OID_NIST_HASH_SHA512,
    OID_PKCS1_RSAENCRYPTION, OID_PKCS1_RSASSAPSS, OID_PKCS1_SHA1WITHRSA, OID_PKCS1_SHA224WITHRSA,
    OID_PKCS1_SHA256WITHRSA, OID_PKCS1_SHA384WITHRSA, OID_PKCS1_SHA512WITHRSA, OID_SHA1_WITH_RSA,
};
use x509_parser::prelude::*;
use x509_parser::public_key::RSAPublicKey;
use x509_parser::signature_algorithm::RsaSsaPssParams;

use crate::inspect::oid_name;

/// The largest RSA modulus OpenSSL verifies with (`OPENSSL_RSA_MAX_MODULUS_BITS`).
const MAX_RSA_BITS: usize = 16_384;

/// What checking a signature found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Verifies,
    DoesNotVerify,
    /// An algorithm kubeward has no verifier for (MD5, an unusual curve):
    /// the signature may well be good.
    Unsupported(String),
}

/// The hashes RSA certificate signatures are made with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn of_oid(oid: &Oid<'_>) -> Option<Self> {
        // The registry has no name for SHA-224's own OID.
        if oid.to_id_string() == "2.16.840.1.101.3.4.2.4" {
            return Some(Self::Sha224);
        }
        [
            (OID_HASH_SHA1, Self::Sha1),
            (OID_NIST_HASH_SHA256, Self::Sha256),
            (OID_NIST_HASH_SHA384, Self::Sha384),
            (OID_NIST_HASH_SHA512, Self::Sha512),
        ]
        .into_iter()
        .find_map(|(o, h)| (o == *oid).then_some(h))
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            Self::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            Self::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
            Self::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
            Self::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
            Self::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    fn pss(self, salt: usize) -> Pss {
        match self {
            Self::Sha1 => Pss::new_with_salt::<sha1::Sha1>(salt),
            Self::Sha224 => Pss::new_with_salt::<sha2::Sha224>(salt),
            Self::Sha256 => Pss::new_with_salt::<sha2::Sha256>(salt),
            Self::Sha384 => Pss::new_with_salt::<sha2::Sha384>(salt),
            Self::Sha512 => Pss::new_with_salt::<sha2::Sha512>(salt),
        }
    }
}

/// An RSA signature scheme: PKCS#1 v1.5 or PSS with its salt length.
enum RsaScheme {
    Pkcs1v15(Hash),
    Pss(Hash, usize),
}

/// The RSA scheme of a signature algorithm, `None` when it is not RSA or
/// not one kubeward verifies (MD5, PSS with a mask hash of its own).
fn rsa_scheme(alg: &AlgorithmIdentifier<'_>) -> Option<RsaScheme> {
    let oid = &alg.algorithm;
    let pkcs1 = [
        (&OID_PKCS1_SHA1WITHRSA, Hash::Sha1),
        (&OID_SHA1_WITH_RSA, Hash::Sha1),
        (&OID_PKCS1_SHA224WITHRSA, Hash::Sha224),
        (&OID_PKCS1_SHA256WITHRSA, Hash::Sha256),
        (&OID_PKCS1_SHA384WITHRSA, Hash::Sha384),
        (&OID_PKCS1_SHA512WITHRSA, Hash::Sha512),
    ];
    if let Some((_, hash)) = pkcs1.iter().find(|(o, _)| *o == oid) {
        return Some(RsaScheme::Pkcs1v15(*hash));
    }
    if *oid != OID_PKCS1_RSASSAPSS {
        return None;
    }
    let params = RsaSsaPssParams::try_from(alg.parameters.as_ref()?).ok()?;
    let hash = Hash::of_oid(params.hash_algorithm_oid())?;
    let mask = params.mask_gen_algorithm().ok()?;
    (Hash::of_oid(&mask.hash) == Some(hash))
        .then(|| RsaScheme::Pss(hash, params.salt_length() as usize))
}

/// Whether `cert`'s signature verifies with the public key `signer`.
pub fn verify(cert: &X509Certificate<'_>, signer: &SubjectPublicKeyInfo<'_>) -> Verdict {
    let key_alg = &signer.algorithm.algorithm;
    let is_rsa = *key_alg == OID_PKCS1_RSAENCRYPTION || *key_alg == OID_PKCS1_RSASSAPSS;
    if !is_rsa {
        return match cert.verify_signature(Some(signer)) {
            Ok(()) => Verdict::Verifies,
            Err(X509Error::SignatureUnsupportedAlgorithm) => {
                Verdict::Unsupported(oid_name(&cert.signature_algorithm.algorithm))
            }
            Err(_) => Verdict::DoesNotVerify,
        };
    }
    let Some(scheme) = rsa_scheme(&cert.signature_algorithm) else {
        return Verdict::Unsupported(oid_name(&cert.signature_algorithm.algorithm));
    };
    let key = RSAPublicKey::from_der(&signer.subject_public_key.data)
        .ok()
        .and_then(|(_, k)| {
            RsaPublicKey::new_with_max_size(
                BigUint::from_bytes_be(k.modulus),
                BigUint::from_bytes_be(k.exponent),
                MAX_RSA_BITS,
            )
            .ok()
        });
    let Some(key) = key else {
        return Verdict::DoesNotVerify;
    };
    let signed = cert.tbs_certificate.as_ref();
    let signature = &cert.signature_value.data;
    let verified = match scheme {
        RsaScheme::Pkcs1v15(hash) => key.verify(hash.pkcs1v15(), &hash.digest(signed), signature),
        RsaScheme::Pss(hash, salt) => key.verify(hash.pss(salt), &hash.digest(signed), signature),
    };
    if verified.is_ok() {
        Verdict::Verifies
    } else {
        Verdict::DoesNotVerify
    }
}

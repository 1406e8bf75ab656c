//! Lowering of an operation's security requirements into the token scopes its requests ask for.

use super::Source;
use crate::Error;
use crate::error::child;
use openapiv3::{ReferenceOr, SecurityScheme};

/// The scopes of the OAuth2 (or OpenID Connect) requirement that applies to the operation (its
/// own `security`, else the spec's): the scopes a bearer token is asked for. Empty when the
/// operation accepts no token, only keys. Every scheme a requirement names must be declared.
pub fn lower_token_scopes(source: &Source) -> Result<Vec<String>, Error> {
    let spec = source.context.spec;
    let (requirements, pointer) = match &source.operation.security {
        Some(requirements) => (requirements, child(&source.pointer, "security")),
        None => match &spec.security {
            Some(requirements) => (requirements, "#/security".to_owned()),
            None => return Ok(Vec::new()),
        },
    };
    let schemes = spec
        .components
        .as_ref()
        .map(|components| &components.security_schemes);
    let mut scopes: Vec<String> = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        for (name, required_scopes) in requirement {
            let scheme = schemes.and_then(|schemes| schemes.get(name)).ok_or_else(|| {
                Error::at(
                    child(&pointer, index),
                    format!("security scheme `{name}` is not declared under `components/securitySchemes`"),
                )
            })?;
            let ReferenceOr::Item(scheme) = scheme else {
                return Err(Error::at(
                    child("#/components/securitySchemes", name),
                    "a security scheme that is a $ref is not supported",
                ));
            };
            if matches!(
                scheme,
                SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. }
            ) {
                if required_scopes.is_empty() {
                    return Err(Error::at(
                        child(&child(&pointer, index), name),
                        "a token requirement must list the scopes the token is asked for",
                    ));
                }
                for scope in required_scopes {
                    if !scopes.contains(scope) {
                        scopes.push(scope.clone());
                    }
                }
            }
        }
    }
    Ok(scopes)
}

//! The report of each of ten ordinary API changes, each applied to a small fixture spec.

use super::*;

const BASE: &str = include_str!("../tests/fixtures/report.yaml");

/// The fixture with every `from` replaced by its `to`; each `from` must occur.
fn edited(edits: &[(&str, &str)]) -> String {
    edits.iter().fold(BASE.to_owned(), |text, (from, to)| {
        assert!(text.contains(from), "the fixture has no {from:?}");
        text.replace(from, to)
    })
}

fn changes_of(edits: &[(&str, &str)]) -> Vec<Change> {
    let old = codegen::lower_text(BASE).expect("the fixture lowers");
    let new = codegen::lower_text(&edited(edits))
        .unwrap_or_else(|error| panic!("the edited fixture lowers: {error}"));
    compare(&old, &new)
}

fn report(edits: &[(&str, &str)], format: Format) -> String {
    render("spec/fixture.yaml", "HEAD", &changes_of(edits), format)
}

const QUERY_PARAMETER_ADDED: &[(&str, &str)] = &[(
    "            type: boolean\n      requestBody:\n",
    "            type: boolean
        - name: returnLandmarks
          in: query
          description: Whether to return landmarks.
          schema:
            type: boolean
      requestBody:
",
)];

const ENUM_VALUE_ADDED: &[(&str, &str)] = &[(
    "enum: [detection_01, detection_02]",
    "enum: [detection_01, detection_02, detection_03]",
)];

const RESPONSE_PROPERTY_ADDED: &[(&str, &str)] = &[(
    "          format: uuid\n    FaceToFace:\n",
    "          format: uuid
        age:
          description: The estimated age.
          type: number
    FaceToFace:
",
)];

const GROUP_ADDED: &[(&str, &str)] = &[(
    "\ncomponents:\n",
    "
  /lists:
    get:
      operationId: FaceList_List
      summary: List face lists.
      responses:
        '200':
          description: The lists.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Group'
components:
",
)];

const SCHEMA_RENAMED: &[(&str, &str)] = &[("DetectedFace", "FaceResult")];

const OPERATION_REMOVED: &[(&str, &str)] = &[(
    "    delete:
      operationId: Group_Delete
      summary: Delete a group.
      parameters:
        - $ref: '#/components/parameters/groupId'
      responses:
        '200':
          description: Deleted.
",
    "",
)];

const FIELD_MADE_REQUIRED: &[(&str, &str)] = &[("required: [url]", "required: [url, maxFaces]")];

const LONG_RUNNING_ADDED: &[(&str, &str)] = &[(
    "  /groups/{groupId}/training:\n",
    "  /groups/{groupId}/train:
    post:
      operationId: Group_Train
      summary: Start training.
      x-sdk-long-running:
        statusOperation: Group_GetTrainingStatus
        stateProperty: status
        succeeded: [succeeded]
        failed: [failed]
        messageProperty: message
      parameters:
        - $ref: '#/components/parameters/groupId'
      responses:
        '202':
          description: Started.
  /groups/{groupId}/training:
",
)];

const PAGED_LIST_ADDED: &[(&str, &str)] = &[(
    "  /groups/{groupId}:\n",
    "  /groups:
    get:
      operationId: Group_List
      summary: List groups, a page at a time.
      x-sdk-pagination:
        cursorParameter: start
        limitParameter: top
        itemKey: groupId
      parameters:
        - name: start
          in: query
          description: List groups after this id.
          schema:
            type: string
        - name: top
          in: query
          description: How many groups at most.
          schema:
            type: integer
            format: int32
      responses:
        '200':
          description: A page of groups.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Group'
  /groups/{groupId}:
",
)];

const ONE_OF_ALTERNATIVE_ADDED: &[(&str, &str)] = &[
    (
        "              FaceToPerson: VerifyFaceToPerson\n",
        "              FaceToPerson: VerifyFaceToPerson
              FaceToGroup: VerifyFaceToGroup
",
    ),
    (
        "                - $ref: '#/components/schemas/FaceToPerson'\n",
        "                - $ref: '#/components/schemas/FaceToPerson'
                - $ref: '#/components/schemas/FaceToGroup'
",
    ),
    (
        "    Verdict:\n",
        "    FaceToGroup:
      description: A face and a group.
      type: object
      required: [faceId, groupId]
      properties:
        faceId:
          description: The face.
          type: string
          format: uuid
        groupId:
          description: The group.
          type: string
    Verdict:
",
    ),
];

/// Each change by the name of its snapshot.
const CHANGES: &[(&str, &[(&str, &str)])] = &[
    ("query_parameter_added", QUERY_PARAMETER_ADDED),
    ("enum_value_added", ENUM_VALUE_ADDED),
    ("response_property_added", RESPONSE_PROPERTY_ADDED),
    ("group_added", GROUP_ADDED),
    ("schema_renamed", SCHEMA_RENAMED),
    ("operation_removed", OPERATION_REMOVED),
    ("field_made_required", FIELD_MADE_REQUIRED),
    ("long_running_added", LONG_RUNNING_ADDED),
    ("paged_list_added", PAGED_LIST_ADDED),
    ("one_of_alternative_added", ONE_OF_ALTERNATIVE_ADDED),
];

#[test]
fn each_change_is_reported() {
    for (name, edits) in CHANGES {
        insta::assert_snapshot!(*name, report(edits, Format::Text));
    }
}

#[test]
fn a_change_is_reported_in_markdown() {
    insta::assert_snapshot!(report(SCHEMA_RENAMED, Format::Markdown));
}

#[test]
fn exactly_the_rename_the_removal_and_the_field_made_required_are_breaking() {
    let breaking: Vec<&str> = CHANGES
        .iter()
        .filter(|(_, edits)| changes_of(edits).iter().any(|change| change.breaking))
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(
        breaking,
        ["schema_renamed", "operation_removed", "field_made_required"]
    );
    for (name, edits) in CHANGES {
        assert!(!changes_of(edits).is_empty(), "{name} reports its change");
    }
}

#[test]
fn an_unchanged_spec_reports_no_changes() {
    for format in [Format::Text, Format::Markdown] {
        let text = report(&[], format);
        assert!(
            text.to_lowercase()
                .contains("no changes to the public surface"),
            "{text}"
        );
    }
}

#[test]
fn arguments_of_one_type_that_swap_places_compile_and_are_named() {
    let first = "        faceId1:\n          description: The first face.\n";
    let second = "        faceId2:\n          description: The second face.\n";
    let changes = changes_of(&[(first, "SWAP"), (second, first), ("SWAP", second)]);
    let text = render("spec/fixture.yaml", "HEAD", &changes, Format::Text);
    assert!(changes.iter().all(|change| !change.breaking), "{text}");
    assert!(
        text.contains("reordered the positional arguments of face.verify_face_to_face")
            && text.contains("reordered the arguments of FaceToFace::new")
            && text.contains("in the other order"),
        "{text}"
    );
}

#[test]
fn arguments_of_two_types_that_swap_places_are_breaking() {
    let both_required = ("required: [url]", "required: [url, maxFaces]");
    let url = "        url:\n          description: The image URL.\n          type: string\n";
    let max_faces = "        maxFaces:\n          description: How many faces at most.\n          type: integer\n          format: int32\n";
    let old = codegen::lower_text(&edited(&[both_required])).expect("the fixture lowers");
    let new = codegen::lower_text(&edited(&[
        both_required,
        (url, "@@SWAP@@"),
        (max_faces, url),
        ("@@SWAP@@", max_faces),
    ]))
    .expect("the edited fixture lowers");
    let changes = compare(&old, &new);
    let text = render("spec/fixture.yaml", "HEAD", &changes, Format::Text);
    assert_eq!(changes.len(), 2, "{text}");
    assert!(changes.iter().all(|change| change.breaking), "{text}");
    assert!(
        text.contains("(url, max_faces)` → `(max_faces, url)")
            || text.contains("(url, max_faces) → (max_faces, url)"),
        "{text}"
    );
}

#[test]
fn a_positional_argument_whose_type_changes_in_place_is_not_reordered() {
    let both_required = ("required: [url]", "required: [url, maxFaces]");
    let old = codegen::lower_text(&edited(&[both_required])).expect("the fixture lowers");
    let new = codegen::lower_text(&edited(&[
        both_required,
        (
            "        maxFaces:\n          description: How many faces at most.\n          type: integer\n          format: int32\n",
            "        maxFaces:\n          description: How many faces at most.\n          type: integer\n          format: int64\n",
        ),
    ]))
    .expect("the edited fixture lowers");
    let changes = compare(&old, &new);
    let text = render("spec/fixture.yaml", "HEAD", &changes, Format::Text);
    assert!(!changes.is_empty(), "{text}");
    assert!(changes.iter().all(|change| change.breaking), "{text}");
    assert!(text.contains("changed the type"), "{text}");
    assert!(!text.contains("reordered"), "{text}");
}

#[test]
fn a_required_field_added_is_breaking_whichever_way_the_model_travels() {
    let response = changes_of(&[
        (
            "required: [isIdentical]",
            "required: [isIdentical, confidence]",
        ),
        (
            "          type: boolean\n    Group:\n",
            "          type: boolean\n        confidence:\n          description: How sure.\n          type: number\n    Group:\n",
        ),
    ]);
    assert_eq!(response.len(), 1);
    assert!(response[0].breaking, "a new argument of Verdict::new");
    let request = changes_of(&[
        ("required: [url]", "required: [url, quality]"),
        (
            "        maxFaces:\n",
            "        quality:\n          description: The quality.\n          type: string\n        maxFaces:\n",
        ),
    ]);
    assert!(request.iter().all(|change| change.breaking));
    assert_eq!(request.len(), 2, "the positional argument and the field");
}

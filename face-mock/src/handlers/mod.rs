//! What each operation does, once its request has been checked: the handler
//! table (operationId → handler).

mod compare;
mod containers;
mod face;
mod list_faces;
pub(crate) mod liveness;
mod persons;
mod settings;
mod shared;
mod snapshots;
mod training;

use crate::app::App;
use crate::error::ApiResult;
use crate::http::input::Input;

/// A handler: the answer to a checked request.
pub(crate) type Handler = fn(&App, &Input) -> ApiResult;

/// Every operation the emulator can serve, by `operationId`. Start-up refuses
/// a spec operation missing here, and an entry here that no spec names.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("Face_Detect", face::detect),
    ("Face_FindSimilar", compare::find_similar),
    ("Face_Group", compare::group),
    ("Face_Identify", compare::identify),
    ("Face_Verify", compare::verify),
    ("FaceList_Create", containers::create),
    ("FaceList_Get", containers::get),
    ("FaceList_Update", containers::update),
    ("FaceList_Delete", containers::delete),
    ("FaceList_List", containers::list),
    ("FaceList_AddFace", list_faces::add),
    ("FaceList_DeleteFace", list_faces::delete),
    ("LargeFaceList_Create", containers::create),
    ("LargeFaceList_Get", containers::get),
    ("LargeFaceList_Update", containers::update),
    ("LargeFaceList_Delete", containers::delete),
    ("LargeFaceList_List", containers::list),
    (
        "LargeFaceList_GetTrainingStatus",
        containers::training_status,
    ),
    ("LargeFaceList_Train", containers::train),
    ("LargeFaceList_AddFace", list_faces::add),
    ("LargeFaceList_DeleteFace", list_faces::delete),
    ("LargeFaceList_GetFace", list_faces::get),
    ("LargeFaceList_UpdateFace", list_faces::update),
    ("LargeFaceList_ListFaces", list_faces::list),
    ("PersonGroup_Create", containers::create),
    ("PersonGroup_Get", containers::get),
    ("PersonGroup_Update", containers::update),
    ("PersonGroup_Delete", containers::delete),
    ("PersonGroup_List", containers::list),
    ("PersonGroup_GetTrainingStatus", containers::training_status),
    ("PersonGroup_Train", containers::train),
    ("LargePersonGroup_Create", containers::create),
    ("LargePersonGroup_Get", containers::get),
    ("LargePersonGroup_Update", containers::update),
    ("LargePersonGroup_Delete", containers::delete),
    ("LargePersonGroup_List", containers::list),
    (
        "LargePersonGroup_GetTrainingStatus",
        containers::training_status,
    ),
    ("LargePersonGroup_Train", containers::train),
    ("PersonGroupPerson_Create", persons::create),
    ("PersonGroupPerson_List", persons::list),
    ("PersonGroupPerson_Get", persons::get),
    ("PersonGroupPerson_Update", persons::update),
    ("PersonGroupPerson_Delete", persons::delete),
    ("PersonGroupPerson_AddFace", persons::add_face),
    ("PersonGroupPerson_GetFace", persons::get_face),
    ("PersonGroupPerson_UpdateFace", persons::update_face),
    ("PersonGroupPerson_DeleteFace", persons::delete_face),
    ("LargePersonGroupPerson_Create", persons::create),
    ("LargePersonGroupPerson_List", persons::list),
    ("LargePersonGroupPerson_Get", persons::get),
    ("LargePersonGroupPerson_Update", persons::update),
    ("LargePersonGroupPerson_Delete", persons::delete),
    ("LargePersonGroupPerson_AddFace", persons::add_face),
    ("LargePersonGroupPerson_GetFace", persons::get_face),
    ("LargePersonGroupPerson_UpdateFace", persons::update_face),
    ("LargePersonGroupPerson_DeleteFace", persons::delete_face),
    ("Snapshot_Take", snapshots::take),
    ("Snapshot_List", snapshots::list),
    ("Snapshot_Get", snapshots::get),
    ("Snapshot_Update", snapshots::update),
    ("Snapshot_Delete", snapshots::delete),
    ("Snapshot_Apply", snapshots::apply),
    ("Snapshot_GetOperationStatus", snapshots::operation_status),
    ("LivenessSession_Create", liveness::create),
    ("LivenessSession_GetResult", liveness::get_result),
    ("LivenessSession_Delete", liveness::delete),
    (
        "LivenessWithVerifySession_Create",
        liveness::create_with_verify,
    ),
    ("LivenessWithVerifySession_GetResult", liveness::get_result),
    ("LivenessWithVerifySession_Delete", liveness::delete),
    ("SessionImage_Get", liveness::session_image),
    ("LivenessSession_GetSettings", settings::get),
    ("LivenessSession_UpdateSettings", settings::update),
    (
        "LivenessSession_GetClientAssetsAccessToken",
        settings::client_assets_token,
    ),
];

/// The handler of an operation.
pub(crate) fn handler(operation: &str) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(id, _)| *id == operation)
        .map(|(_, handler)| *handler)
}

# Generated from ../shared/reference/immich-openapi-3.1.0.json by `make dto` (datamodel-code-generator).
# Do not edit: regenerate when the contract changes.

from __future__ import annotations

from datetime import date as date_aliased
from enum import IntEnum, StrEnum
from typing import Annotated, Any
from uuid import UUID

from photonest.api.dto.base import DtoBase
from pydantic import AnyUrl, AwareDatetime, Field, RootModel


class ActivityStatisticsResponseDto(DtoBase):
    comments: Annotated[
        int, Field(description='Number of comments', ge=0, le=9007199254740991)
    ]
    likes: Annotated[
        int, Field(description='Number of likes', ge=0, le=9007199254740991)
    ]


class AdminOnboardingUpdateDto(DtoBase):
    isOnboarded: Annotated[bool, Field(description='Is admin onboarded')]


class AlbumStatisticsResponseDto(DtoBase):
    notShared: Annotated[
        int, Field(description='Number of non-shared albums', ge=0, le=9007199254740991)
    ]
    owned: Annotated[
        int, Field(description='Number of owned albums', ge=0, le=9007199254740991)
    ]
    shared: Annotated[
        int, Field(description='Number of shared albums', ge=0, le=9007199254740991)
    ]


class AlbumUserRole(StrEnum):
    editor = 'editor'
    owner = 'owner'
    viewer = 'viewer'


class AlbumId(RootModel[UUID]):
    root: UUID


class AssetId(RootModel[UUID]):
    root: UUID


class AlbumsAddAssetsDto(DtoBase):
    albumIds: Annotated[list[AlbumId], Field(description='Album IDs')]
    assetIds: Annotated[list[AssetId], Field(description='Asset IDs')]


class Id(RootModel[UUID]):
    root: UUID


class AssetBulkDeleteDto(DtoBase):
    force: Annotated[bool | None, Field(description='Force delete even if in use')] = (
        None
    )
    ids: Annotated[list[Id], Field(description='IDs to process')]


class AssetBulkUploadCheckItem(DtoBase):
    checksum: Annotated[str, Field(description='Base64 or hex encoded SHA1 hash')]
    id: Annotated[
        str,
        Field(
            description='Client-side identifier echoed in the response to match results to inputs (e.g. filename)'
        ),
    ]


class AssetCopyDto(DtoBase):
    albums: Annotated[bool, Field(description='Copy album associations')] = True
    favorite: Annotated[bool, Field(description='Copy favorite status')] = True
    sharedLinks: Annotated[bool, Field(description='Copy shared links')] = True
    sidecar: Annotated[bool, Field(description='Copy sidecar file')] = True
    sourceId: Annotated[UUID, Field(description='Source asset ID')]
    stack: Annotated[bool, Field(description='Copy stack association')] = True
    targetId: Annotated[UUID, Field(description='Target asset ID')]


class AssetEditAction(StrEnum):
    crop = 'crop'
    rotate = 'rotate'
    mirror = 'mirror'


class AssetFaceCreateDto(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    height: Annotated[
        int,
        Field(
            description='Face bounding box height',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    imageHeight: Annotated[
        int,
        Field(
            description='Image height in pixels',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    imageWidth: Annotated[
        int,
        Field(
            description='Image width in pixels',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    personId: Annotated[UUID, Field(description='Person ID')]
    width: Annotated[
        int,
        Field(
            description='Face bounding box width',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    x: Annotated[
        int,
        Field(
            description='Face bounding box X coordinate',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    y: Annotated[
        int,
        Field(
            description='Face bounding box Y coordinate',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class AssetFaceDeleteDto(DtoBase):
    force: Annotated[
        bool, Field(description='Force delete even if person has other faces')
    ]


class AssetFaceUpdateItem(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    personId: Annotated[UUID, Field(description='Person ID')]


class AssetIdErrorReason(StrEnum):
    duplicate = 'duplicate'
    no_permission = 'no_permission'
    not_found = 'not_found'


class AssetIdsDto(DtoBase):
    assetIds: Annotated[list[AssetId], Field(description='Asset IDs')]


class AssetIdsResponseDto(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    error: AssetIdErrorReason | None = None
    success: Annotated[bool, Field(description='Whether operation succeeded')]


class AssetJobName(StrEnum):
    refresh_faces = 'refresh-faces'
    refresh_metadata = 'refresh-metadata'
    regenerate_thumbnail = 'regenerate-thumbnail'
    transcode_video = 'transcode-video'


class AssetJobsDto(DtoBase):
    assetIds: Annotated[list[AssetId], Field(description='Asset IDs')]
    name: AssetJobName


class AssetMediaSize(StrEnum):
    original = 'original'
    fullsize = 'fullsize'
    preview = 'preview'
    thumbnail = 'thumbnail'


class AssetMediaStatus(StrEnum):
    created = 'created'
    duplicate = 'duplicate'


class AssetMetadataBulkDeleteItemDto(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    key: Annotated[str, Field(description='Metadata key')]


class AssetMetadataBulkResponseDto(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    key: Annotated[str, Field(description='Metadata key')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Last update date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    value: Annotated[dict[str, Any], Field(description='Metadata value (object)')]


class AssetMetadataBulkUpsertItemDto(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    key: Annotated[str, Field(description='Metadata key')]
    value: Annotated[dict[str, Any], Field(description='Metadata value (object)')]


class AssetMetadataResponseDto(DtoBase):
    key: Annotated[str, Field(description='Metadata key')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Last update date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    value: Annotated[dict[str, Any], Field(description='Metadata value (object)')]


class AssetMetadataUpsertItemDto(DtoBase):
    key: Annotated[str, Field(description='Metadata key')]
    value: Annotated[dict[str, Any], Field(description='Metadata value (object)')]


class AssetOcrResponseDto(DtoBase):
    assetId: UUID
    boxScore: Annotated[
        float, Field(description='Confidence score for text detection box')
    ]
    id: UUID
    text: Annotated[str, Field(description='Recognized text')]
    textScore: Annotated[
        float, Field(description='Confidence score for text recognition')
    ]
    x1: Annotated[
        float, Field(description='Normalized x coordinate of box corner 1 (0-1)')
    ]
    x2: Annotated[
        float, Field(description='Normalized x coordinate of box corner 2 (0-1)')
    ]
    x3: Annotated[
        float, Field(description='Normalized x coordinate of box corner 3 (0-1)')
    ]
    x4: Annotated[
        float, Field(description='Normalized x coordinate of box corner 4 (0-1)')
    ]
    y1: Annotated[
        float, Field(description='Normalized y coordinate of box corner 1 (0-1)')
    ]
    y2: Annotated[
        float, Field(description='Normalized y coordinate of box corner 2 (0-1)')
    ]
    y3: Annotated[
        float, Field(description='Normalized y coordinate of box corner 3 (0-1)')
    ]
    y4: Annotated[
        float, Field(description='Normalized y coordinate of box corner 4 (0-1)')
    ]


class AssetOrder(StrEnum):
    asc = 'asc'
    desc = 'desc'


class AssetOrderBy(StrEnum):
    takenAt = 'takenAt'
    createdAt = 'createdAt'


class AssetRejectReason(StrEnum):
    duplicate = 'duplicate'
    unsupported_format = 'unsupported-format'


class AssetStackResponseDto(DtoBase):
    assetCount: Annotated[
        int, Field(description='Number of assets in stack', ge=0, le=9007199254740991)
    ]
    id: Annotated[UUID, Field(description='Stack ID')]
    primaryAssetId: Annotated[UUID, Field(description='Primary asset ID')]


class AssetStatsResponseDto(DtoBase):
    images: Annotated[
        int,
        Field(
            description='Number of images', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    total: Annotated[
        int,
        Field(
            description='Total number of assets',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    videos: Annotated[
        int,
        Field(
            description='Number of videos', ge=-9007199254740991, le=9007199254740991
        ),
    ]


class AssetTypeEnum(StrEnum):
    IMAGE = 'IMAGE'
    VIDEO = 'VIDEO'
    AUDIO = 'AUDIO'
    OTHER = 'OTHER'


class AssetUploadAction(StrEnum):
    accept = 'accept'
    reject = 'reject'


class AssetVisibility(StrEnum):
    archive = 'archive'
    timeline = 'timeline'
    hidden = 'hidden'
    locked = 'locked'


class AudioCodec(StrEnum):
    mp3 = 'mp3'
    aac = 'aac'
    opus = 'opus'
    pcm_s16le = 'pcm_s16le'


class AuthStatusResponseDto(DtoBase):
    expiresAt: Annotated[str | None, Field(description='Session expiration date')] = (
        None
    )
    isElevated: Annotated[bool, Field(description='Is elevated session')]
    password: Annotated[bool, Field(description='Has password set')]
    pinCode: Annotated[bool, Field(description='Has PIN code set')]
    pinExpiresAt: Annotated[str | None, Field(description='PIN expiration date')] = None


class BulkIdErrorReason(StrEnum):
    duplicate = 'duplicate'
    no_permission = 'no_permission'
    not_found = 'not_found'
    unknown = 'unknown'
    validation = 'validation'


class BulkIdResponseDto(DtoBase):
    error: BulkIdErrorReason | None = None
    errorMessage: str | None = None
    id: Annotated[UUID, Field(description='ID')]
    success: Annotated[bool, Field(description='Whether operation succeeded')]


class BulkIdsDto(DtoBase):
    ids: Annotated[list[Id], Field(description='IDs to process')]


class CLIPConfig(DtoBase):
    enabled: Annotated[bool, Field(description='Whether the task is enabled')]
    modelName: Annotated[str, Field(description='Name of the model to use')]


class CQMode(StrEnum):
    auto = 'auto'
    cqp = 'cqp'
    icq = 'icq'


class Series(DtoBase):
    count: Annotated[
        int, Field(description='Activity count', ge=0, le=9007199254740991)
    ]
    date: Annotated[str, Field(description='Date in UTC', examples=['2024-01-01'])]


class CalendarHeatmapResponseDto(DtoBase):
    from_: Annotated[
        str,
        Field(alias='from', description='Start date in UTC', examples=['2024-01-01']),
    ]
    series: list[Series]
    to: Annotated[str, Field(description='End date in UTC', examples=['2024-12-31'])]
    totalCount: Annotated[
        int,
        Field(
            description='Total activity count over the period',
            ge=0,
            le=9007199254740991,
        ),
    ]


class CalendarHeatmapType(StrEnum):
    Upload = 'Upload'
    Taken = 'Taken'


class CastResponse(DtoBase):
    gCastEnabled: Annotated[bool, Field(description='Whether Google Cast is enabled')]


class CastUpdate(DtoBase):
    gCastEnabled: Annotated[
        bool | None, Field(description='Whether Google Cast is enabled')
    ] = None


class ChangePasswordDto(DtoBase):
    invalidateSessions: Annotated[
        bool, Field(description='Invalidate all other sessions')
    ] = False
    newPassword: Annotated[
        str,
        Field(
            description='New password (min 8 characters)',
            examples=['password'],
            min_length=8,
        ),
    ]
    password: Annotated[
        str, Field(description='Current password', examples=['password'])
    ]


class Colorspace(StrEnum):
    srgb = 'srgb'
    p3 = 'p3'


class ContributorCountResponseDto(DtoBase):
    assetCount: Annotated[
        int,
        Field(description='Number of assets contributed', ge=0, le=9007199254740991),
    ]
    userId: Annotated[UUID, Field(description='User ID')]


class CreateLibraryDto(DtoBase):
    exclusionPatterns: Annotated[
        list[str] | None,
        Field(description='Exclusion patterns (max 128)', max_length=128),
    ] = None
    importPaths: Annotated[
        list[str] | None, Field(description='Import paths (max 128)', max_length=128)
    ] = None
    name: Annotated[str | None, Field(description='Library name', min_length=1)] = None
    ownerId: Annotated[UUID, Field(description='Owner user ID')]


class CreateProfileImageDto(DtoBase):
    file: Annotated[bytes, Field(description='Profile image file')]


class CreateProfileImageResponseDto(DtoBase):
    profileChangedAt: Annotated[
        AwareDatetime,
        Field(
            description='Profile image change date',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ]
    profileImagePath: Annotated[str, Field(description='Profile image file path')]
    userId: Annotated[UUID, Field(description='User ID')]


class CropParameters(DtoBase):
    height: Annotated[
        int, Field(description='Height of the crop', ge=1, le=9007199254740991)
    ]
    width: Annotated[
        int, Field(description='Width of the crop', ge=1, le=9007199254740991)
    ]
    x: Annotated[
        int,
        Field(description='Top-Left X coordinate of crop', ge=0, le=9007199254740991),
    ]
    y: Annotated[
        int,
        Field(description='Top-Left Y coordinate of crop', ge=0, le=9007199254740991),
    ]


class DatabaseBackupConfig(DtoBase):
    cronExpression: Annotated[str, Field(description='Cron expression')]
    enabled: Annotated[bool, Field(description='Enabled')]
    keepLastAmount: Annotated[
        int, Field(description='Keep last amount', ge=1, le=9007199254740991)
    ]


class DatabaseBackupDeleteDto(DtoBase):
    backups: Annotated[list[str], Field(description='Backup filenames to delete')]


class DatabaseBackupDto(DtoBase):
    filename: Annotated[str, Field(description='Backup filename')]
    filesize: Annotated[
        int,
        Field(
            description='Backup file size', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    timezone: Annotated[str, Field(description='Backup timezone')]


class DatabaseBackupListResponseDto(DtoBase):
    backups: Annotated[list[DatabaseBackupDto], Field(description='List of backups')]


class DatabaseBackupUploadDto(DtoBase):
    file: Annotated[bytes | None, Field(description='Database backup file')] = None


class DownloadArchiveDto(DtoBase):
    assetIds: Annotated[list[AssetId], Field(description='Asset IDs')]
    edited: Annotated[
        bool | None, Field(description='Download edited asset if available')
    ] = None


class DownloadArchiveInfo(DtoBase):
    assetIds: Annotated[list[AssetId], Field(description='Asset IDs in this archive')]
    size: Annotated[
        int,
        Field(
            description='Archive size in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class DownloadInfoDto(DtoBase):
    albumId: Annotated[UUID | None, Field(description='Album ID to download')] = None
    archiveSize: Annotated[
        int | None,
        Field(description='Archive size limit in bytes', ge=1, le=9007199254740991),
    ] = None
    assetIds: Annotated[
        list[AssetId] | None, Field(description='Asset IDs to download')
    ] = None
    userId: Annotated[
        UUID | None, Field(description='User ID to download assets from')
    ] = None


class DownloadResponse(DtoBase):
    archiveSize: Annotated[
        int,
        Field(
            description='Maximum archive size in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    includeEmbeddedVideos: Annotated[
        bool, Field(description='Whether to include embedded videos in downloads')
    ]


class DownloadResponseDto(DtoBase):
    archives: Annotated[
        list[DownloadArchiveInfo], Field(description='Archive information')
    ]
    totalSize: Annotated[
        int,
        Field(
            description='Total size in bytes', ge=-9007199254740991, le=9007199254740991
        ),
    ]


class DownloadUpdate(DtoBase):
    archiveSize: Annotated[
        int | None,
        Field(description='Maximum archive size in bytes', ge=1, le=9007199254740991),
    ] = None
    includeEmbeddedVideos: Annotated[
        bool | None,
        Field(description='Whether to include embedded videos in downloads'),
    ] = None


class DuplicateDetectionConfig(DtoBase):
    enabled: Annotated[bool, Field(description='Whether the task is enabled')]
    maxDistance: Annotated[
        float,
        Field(
            description='Maximum distance threshold for duplicate detection',
            ge=0.001,
            le=0.1,
        ),
    ]


class KeepAssetId(RootModel[UUID]):
    root: UUID


class TrashAssetId(RootModel[UUID]):
    root: UUID


class DuplicateResolveGroupDto(DtoBase):
    duplicateId: UUID
    keepAssetIds: Annotated[list[KeepAssetId], Field(description='Asset IDs to keep')]
    trashAssetIds: Annotated[
        list[TrashAssetId], Field(description='Asset IDs to trash or delete')
    ]


class SuggestedKeepAssetId(RootModel[UUID]):
    root: UUID


class EmailNotificationsResponse(DtoBase):
    albumInvite: Annotated[
        bool,
        Field(description='Whether to receive email notifications for album invites'),
    ]
    albumUpdate: Annotated[
        bool,
        Field(description='Whether to receive email notifications for album updates'),
    ]
    enabled: Annotated[
        bool, Field(description='Whether email notifications are enabled')
    ]


class EmailNotificationsUpdate(DtoBase):
    albumInvite: Annotated[
        bool | None,
        Field(description='Whether to receive email notifications for album invites'),
    ] = None
    albumUpdate: Annotated[
        bool | None,
        Field(description='Whether to receive email notifications for album updates'),
    ] = None
    enabled: Annotated[
        bool | None, Field(description='Whether email notifications are enabled')
    ] = None


class ExifResponseDto(DtoBase):
    city: Annotated[str | None, Field(description='City name')] = None
    country: Annotated[str | None, Field(description='Country name')] = None
    dateTimeOriginal: Annotated[
        AwareDatetime | None, Field(description='Original date/time')
    ] = None
    description: Annotated[str | None, Field(description='Image description')] = None
    exifImageHeight: Annotated[
        int | None,
        Field(description='Image height in pixels', ge=0, le=9007199254740991),
    ] = None
    exifImageWidth: Annotated[
        int | None,
        Field(description='Image width in pixels', ge=0, le=9007199254740991),
    ] = None
    exposureTime: Annotated[str | None, Field(description='Exposure time')] = None
    fNumber: Annotated[float | None, Field(description='F-number (aperture)')] = None
    fileSizeInByte: Annotated[
        int | None, Field(description='File size in bytes', ge=0, le=9007199254740991)
    ] = None
    focalLength: Annotated[float | None, Field(description='Focal length in mm')] = None
    iso: Annotated[
        int | None,
        Field(description='ISO sensitivity', ge=-9007199254740991, le=9007199254740991),
    ] = None
    latitude: Annotated[float | None, Field(description='GPS latitude')] = None
    lensModel: Annotated[str | None, Field(description='Lens model')] = None
    longitude: Annotated[float | None, Field(description='GPS longitude')] = None
    make: Annotated[str | None, Field(description='Camera make')] = None
    model: Annotated[str | None, Field(description='Camera model')] = None
    modifyDate: Annotated[
        AwareDatetime | None, Field(description='Modification date/time')
    ] = None
    orientation: Annotated[str | None, Field(description='Image orientation')] = None
    projectionType: Annotated[str | None, Field(description='Projection type')] = None
    rating: Annotated[int | None, Field(description='Rating', ge=1, le=5)] = None
    state: Annotated[str | None, Field(description='State/province name')] = None
    timeZone: Annotated[str | None, Field(description='Time zone')] = None


class FaceDto(DtoBase):
    id: Annotated[UUID, Field(description='Face ID')]


class FacialRecognitionConfig(DtoBase):
    enabled: Annotated[bool, Field(description='Whether the task is enabled')]
    maxDistance: Annotated[
        float,
        Field(
            description='Maximum distance threshold for face recognition',
            ge=0.1,
            le=2.0,
        ),
    ]
    minFaces: Annotated[
        int,
        Field(
            description='Minimum number of faces required for recognition',
            ge=1,
            le=9007199254740991,
        ),
    ]
    minScore: Annotated[
        float,
        Field(
            description='Minimum confidence score for face detection', ge=0.1, le=1.0
        ),
    ]
    modelName: Annotated[str, Field(description='Name of the model to use')]


class FoldersResponse(DtoBase):
    enabled: Annotated[bool, Field(description='Whether folders are enabled')]
    sidebarWeb: Annotated[
        bool, Field(description='Whether folders appear in web sidebar')
    ]


class FoldersUpdate(DtoBase):
    enabled: Annotated[
        bool | None, Field(description='Whether folders are enabled')
    ] = None
    sidebarWeb: Annotated[
        bool | None, Field(description='Whether folders appear in web sidebar')
    ] = None


class HlsVideoResolution(IntEnum):
    integer_480 = 480
    integer_720 = 720
    integer_1080 = 1080
    integer_1440 = 1440
    integer_2160 = 2160


class ImageFormat(StrEnum):
    jpeg = 'jpeg'
    webp = 'webp'


class IntegrityReport(StrEnum):
    untracked_file = 'untracked_file'
    missing_file = 'missing_file'
    checksum_mismatch = 'checksum_mismatch'


class Item(DtoBase):
    id: Annotated[UUID, Field(description='Integrity report item id')]
    path: Annotated[str, Field(description='Integrity report item path')]
    type: IntegrityReport


class IntegrityReportResponseDto(DtoBase):
    items: list[Item]
    nextCursor: str | None = None


class IntegrityReportSummaryResponseDto(DtoBase):
    checksum_mismatch: Annotated[int, Field(ge=0, le=9007199254740991)]
    missing_file: Annotated[int, Field(ge=0, le=9007199254740991)]
    untracked_file: Annotated[int, Field(ge=0, le=9007199254740991)]


class JobName(StrEnum):
    AssetDelete = 'AssetDelete'
    AssetDeleteCheck = 'AssetDeleteCheck'
    AssetDetectFacesQueueAll = 'AssetDetectFacesQueueAll'
    AssetDetectFaces = 'AssetDetectFaces'
    AssetDetectDuplicatesQueueAll = 'AssetDetectDuplicatesQueueAll'
    AssetDetectDuplicates = 'AssetDetectDuplicates'
    AssetEditThumbnailGeneration = 'AssetEditThumbnailGeneration'
    AssetEncodeVideoQueueAll = 'AssetEncodeVideoQueueAll'
    AssetEncodeVideo = 'AssetEncodeVideo'
    AssetEmptyTrash = 'AssetEmptyTrash'
    AssetExtractMetadataQueueAll = 'AssetExtractMetadataQueueAll'
    AssetExtractMetadata = 'AssetExtractMetadata'
    AssetFileMigration = 'AssetFileMigration'
    AssetGenerateThumbnailsQueueAll = 'AssetGenerateThumbnailsQueueAll'
    AssetGenerateThumbnails = 'AssetGenerateThumbnails'
    AuditTableCleanup = 'AuditTableCleanup'
    DatabaseBackup = 'DatabaseBackup'
    FacialRecognitionQueueAll = 'FacialRecognitionQueueAll'
    FacialRecognition = 'FacialRecognition'
    FileDelete = 'FileDelete'
    FileMigrationQueueAll = 'FileMigrationQueueAll'
    LibraryDeleteCheck = 'LibraryDeleteCheck'
    LibraryDelete = 'LibraryDelete'
    LibraryRemoveAsset = 'LibraryRemoveAsset'
    LibraryScanAssetsQueueAll = 'LibraryScanAssetsQueueAll'
    LibrarySyncAssets = 'LibrarySyncAssets'
    LibrarySyncFilesQueueAll = 'LibrarySyncFilesQueueAll'
    LibrarySyncFiles = 'LibrarySyncFiles'
    LibraryScanQueueAll = 'LibraryScanQueueAll'
    HlsSessionCleanup = 'HlsSessionCleanup'
    MemoryCleanup = 'MemoryCleanup'
    MemoryGenerate = 'MemoryGenerate'
    NotificationsCleanup = 'NotificationsCleanup'
    NotifyUserSignup = 'NotifyUserSignup'
    NotifyAlbumInvite = 'NotifyAlbumInvite'
    NotifyAlbumUpdate = 'NotifyAlbumUpdate'
    UserDelete = 'UserDelete'
    UserDeleteCheck = 'UserDeleteCheck'
    UserSyncUsage = 'UserSyncUsage'
    PersonCleanup = 'PersonCleanup'
    PersonFileMigration = 'PersonFileMigration'
    PersonGenerateThumbnail = 'PersonGenerateThumbnail'
    SessionCleanup = 'SessionCleanup'
    SendMail = 'SendMail'
    SidecarQueueAll = 'SidecarQueueAll'
    SidecarCheck = 'SidecarCheck'
    SidecarWrite = 'SidecarWrite'
    SmartSearchQueueAll = 'SmartSearchQueueAll'
    SmartSearch = 'SmartSearch'
    StorageTemplateMigration = 'StorageTemplateMigration'
    StorageTemplateMigrationSingle = 'StorageTemplateMigrationSingle'
    TagCleanup = 'TagCleanup'
    VersionCheck = 'VersionCheck'
    OcrQueueAll = 'OcrQueueAll'
    Ocr = 'Ocr'
    WorkflowAssetTrigger = 'WorkflowAssetTrigger'
    IntegrityUntrackedFilesQueueAll = 'IntegrityUntrackedFilesQueueAll'
    IntegrityUntrackedFiles = 'IntegrityUntrackedFiles'
    IntegrityUntrackedRefresh = 'IntegrityUntrackedRefresh'
    IntegrityMissingFilesQueueAll = 'IntegrityMissingFilesQueueAll'
    IntegrityMissingFiles = 'IntegrityMissingFiles'
    IntegrityMissingFilesRefresh = 'IntegrityMissingFilesRefresh'
    IntegrityChecksumFiles = 'IntegrityChecksumFiles'
    IntegrityChecksumFilesRefresh = 'IntegrityChecksumFilesRefresh'
    IntegrityDeleteReportType = 'IntegrityDeleteReportType'
    IntegrityDeleteReports = 'IntegrityDeleteReports'


class JobSettingsDto(DtoBase):
    concurrency: Annotated[
        int, Field(description='Concurrency', ge=1, le=9007199254740991)
    ]


class LibraryResponseDto(DtoBase):
    assetCount: Annotated[
        int,
        Field(
            description='Number of assets', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    exclusionPatterns: Annotated[list[str], Field(description='Exclusion patterns')]
    id: Annotated[UUID, Field(description='Library ID')]
    importPaths: Annotated[list[str], Field(description='Import paths')]
    name: Annotated[str, Field(description='Library name')]
    ownerId: Annotated[UUID, Field(description='Owner user ID')]
    refreshedAt: Annotated[
        AwareDatetime | None,
        Field(description='Last refresh date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Last update date', examples=['2024-01-01T00:00:00.000Z']),
    ]


class LibraryStatsResponseDto(DtoBase):
    photos: Annotated[
        int,
        Field(
            description='Number of photos', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    total: Annotated[
        int,
        Field(
            description='Total number of assets',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usage: Annotated[
        int,
        Field(
            description='Storage usage in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    videos: Annotated[
        int,
        Field(
            description='Number of videos', ge=-9007199254740991, le=9007199254740991
        ),
    ]


class LicenseKeyDto(DtoBase):
    activationKey: Annotated[str, Field(description='Activation key')]
    licenseKey: Annotated[
        str,
        Field(
            description='License key (format: /^IM(SV|CL)(-[\\dA-Za-z]{4}){8}$/)',
            pattern='^IM(SV|CL)(-[\\dA-Za-z]{4}){8}$',
        ),
    ]


class LogLevel(StrEnum):
    verbose = 'verbose'
    debug = 'debug'
    log = 'log'
    warn = 'warn'
    error = 'error'
    fatal = 'fatal'


class LoginCredentialDto(DtoBase):
    email: Annotated[
        str,
        Field(
            description='User email',
            examples=['testuser@email.com'],
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    password: Annotated[str, Field(description='User password', examples=['password'])]


class LoginResponseDto(DtoBase):
    accessToken: Annotated[str, Field(description='Access token')]
    isAdmin: Annotated[bool, Field(description='Is admin user')]
    isOnboarded: Annotated[bool, Field(description='Is onboarded')]
    name: Annotated[str, Field(description='User name')]
    profileImagePath: Annotated[str, Field(description='Profile image path')]
    shouldChangePassword: Annotated[bool, Field(description='Should change password')]
    userEmail: Annotated[
        str,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    userId: Annotated[UUID, Field(description='User ID')]


class LogoutResponseDto(DtoBase):
    redirectUri: Annotated[str, Field(description='Redirect URI')]
    successful: Annotated[bool, Field(description='Logout successful')]


class MachineLearningAvailabilityChecksDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]
    interval: Annotated[int, Field(ge=-9007199254740991, le=9007199254740991)]
    timeout: Annotated[int, Field(ge=-9007199254740991, le=9007199254740991)]


class MaintenanceAction(StrEnum):
    start = 'start'
    end = 'end'
    select_database_restore = 'select_database_restore'
    restore_database = 'restore_database'


class MaintenanceAuthDto(DtoBase):
    username: Annotated[str, Field(description='Maintenance username')]


class MaintenanceLoginDto(DtoBase):
    token: Annotated[str | None, Field(description='Maintenance token')] = None


class MaintenanceStatusResponseDto(DtoBase):
    action: MaintenanceAction
    active: bool
    error: str | None = None
    progress: Annotated[
        int | None, Field(ge=-9007199254740991, le=9007199254740991)
    ] = None
    task: str | None = None


class ManualJobName(StrEnum):
    person_cleanup = 'person-cleanup'
    tag_cleanup = 'tag-cleanup'
    user_cleanup = 'user-cleanup'
    memory_cleanup = 'memory-cleanup'
    memory_create = 'memory-create'
    backup_database = 'backup-database'
    integrity_missing_files = 'integrity-missing-files'
    integrity_untracked_files = 'integrity-untracked-files'
    integrity_checksum_mismatch = 'integrity-checksum-mismatch'
    integrity_missing_files_refresh = 'integrity-missing-files-refresh'
    integrity_untracked_files_refresh = 'integrity-untracked-files-refresh'
    integrity_checksum_mismatch_refresh = 'integrity-checksum-mismatch-refresh'
    integrity_missing_files_delete_all = 'integrity-missing-files-delete-all'
    integrity_untracked_files_delete_all = 'integrity-untracked-files-delete-all'
    integrity_checksum_mismatch_delete_all = 'integrity-checksum-mismatch-delete-all'


class MapMarkerResponseDto(DtoBase):
    city: Annotated[str | None, Field(description='City name')]
    country: Annotated[str | None, Field(description='Country name')]
    id: Annotated[UUID, Field(description='Asset ID')]
    lat: Annotated[float, Field(description='Latitude')]
    lon: Annotated[float, Field(description='Longitude')]
    state: Annotated[str | None, Field(description='State/Province name')]


class MapReverseGeocodeResponseDto(DtoBase):
    city: Annotated[str | None, Field(description='City name')]
    country: Annotated[str | None, Field(description='Country name')]
    state: Annotated[str | None, Field(description='State/Province name')]


class MemoriesResponse(DtoBase):
    duration: Annotated[
        int,
        Field(
            description='Memory duration in seconds',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    enabled: Annotated[bool, Field(description='Whether memories are enabled')]


class MemoriesUpdate(DtoBase):
    duration: Annotated[
        int | None,
        Field(description='Memory duration in seconds', ge=1, le=9007199254740991),
    ] = None
    enabled: Annotated[
        bool | None, Field(description='Whether memories are enabled')
    ] = None


class MemorySearchOrder(StrEnum):
    asc = 'asc'
    desc = 'desc'
    random = 'random'


class MemoryStatisticsResponseDto(DtoBase):
    total: Annotated[
        int,
        Field(
            description='Total number of memories',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class MemoryType(StrEnum):
    on_this_day = 'on_this_day'


class MemoryUpdateDto(DtoBase):
    isSaved: Annotated[bool | None, Field(description='Is memory saved')] = None
    memoryAt: Annotated[
        AwareDatetime | None,
        Field(description='Memory date', examples=['2024-01-01T00:00:00.000Z']),
    ] = None
    seenAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory was seen',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None


class MergePersonDto(DtoBase):
    ids: Annotated[list[Id], Field(description='Person IDs to merge')]


class PersonId(RootModel[UUID]):
    root: UUID


class TagId(RootModel[UUID]):
    root: UUID


class MetadataSearchDto(DtoBase):
    albumIds: Annotated[
        list[AlbumId] | None, Field(description='Filter by album IDs')
    ] = None
    checksum: Annotated[str | None, Field(description='Filter by file checksum')] = None
    city: Annotated[str | None, Field(description='Filter by city name')] = None
    country: Annotated[str | None, Field(description='Filter by country name')] = None
    createdAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    createdBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    description: Annotated[
        str | None, Field(description='Filter by description text')
    ] = None
    encodedVideoPath: Annotated[
        str | None, Field(description='Filter by encoded video file path')
    ] = None
    id: Annotated[UUID | None, Field(description='Filter by asset ID')] = None
    isEncoded: Annotated[bool | None, Field(description='Filter by encoded status')] = (
        None
    )
    isFavorite: Annotated[
        bool | None, Field(description='Filter by favorite status')
    ] = None
    isMotion: Annotated[
        bool | None, Field(description='Filter by motion photo status')
    ] = None
    isNotInAlbum: Annotated[
        bool | None, Field(description='Filter assets not in any album')
    ] = None
    isOffline: Annotated[bool | None, Field(description='Filter by offline status')] = (
        None
    )
    lensModel: Annotated[str | None, Field(description='Filter by lens model')] = None
    libraryId: Annotated[UUID | None, Field(description='Library ID to filter by')] = (
        None
    )
    make: Annotated[str | None, Field(description='Filter by camera make')] = None
    model: Annotated[str | None, Field(description='Filter by camera model')] = None
    ocr: Annotated[str | None, Field(description='Filter by OCR text content')] = None
    order: Annotated[AssetOrder, Field(description='Sort order')] = 'desc'
    originalFileName: Annotated[
        str | None, Field(description='Filter by original file name')
    ] = None
    originalPath: Annotated[
        str | None, Field(description='Filter by original file path')
    ] = None
    page: Annotated[
        int | None, Field(description='Page number', ge=1, le=9007199254740991)
    ] = None
    personIds: Annotated[
        list[PersonId] | None, Field(description='Filter by person IDs')
    ] = None
    previewPath: Annotated[
        str | None, Field(description='Filter by preview file path')
    ] = None
    rating: Annotated[
        int | None,
        Field(description='Filter by rating [1-5], or null for unrated', ge=1, le=5),
    ] = None
    size: Annotated[
        int | None, Field(description='Number of results to return', ge=1, le=1000)
    ] = None
    state: Annotated[str | None, Field(description='Filter by state/province name')] = (
        None
    )
    tagIds: Annotated[list[TagId] | None, Field(description='Filter by tag IDs')] = None
    takenAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    takenBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    thumbnailPath: Annotated[
        str | None, Field(description='Filter by thumbnail file path')
    ] = None
    trashedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    type: AssetTypeEnum | None = None
    updatedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    updatedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    visibility: AssetVisibility | None = None
    withDeleted: Annotated[bool | None, Field(description='Include deleted assets')] = (
        None
    )
    withExif: Annotated[
        bool | None, Field(description='Include EXIF data in response')
    ] = None
    withPeople: Annotated[
        bool | None, Field(description='Include people data in response')
    ] = None
    withStacked: Annotated[bool | None, Field(description='Include stacked assets')] = (
        None
    )


class MirrorAxis(StrEnum):
    horizontal = 'horizontal'
    vertical = 'vertical'


class MirrorParameters(DtoBase):
    axis: MirrorAxis


class NotificationDeleteAllDto(DtoBase):
    ids: Annotated[
        list[Id], Field(description='Notification IDs to delete', min_length=1)
    ]


class NotificationLevel(StrEnum):
    success = 'success'
    error = 'error'
    warning = 'warning'
    info = 'info'


class NotificationType(StrEnum):
    JobFailed = 'JobFailed'
    BackupFailed = 'BackupFailed'
    SystemMessage = 'SystemMessage'
    AlbumInvite = 'AlbumInvite'
    AlbumUpdate = 'AlbumUpdate'
    Custom = 'Custom'


class NotificationUpdateAllDto(DtoBase):
    ids: Annotated[
        list[Id], Field(description='Notification IDs to update', min_length=1)
    ]
    readAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when notifications were read',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None


class NotificationUpdateDto(DtoBase):
    readAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when notification was read',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None


class OAuthAuthorizeResponseDto(DtoBase):
    url: Annotated[str, Field(description='OAuth authorization URL')]


class OAuthBackchannelLogoutDto(DtoBase):
    logout_token: Annotated[str, Field(description='OAuth logout token')]


class OAuthCallbackDto(DtoBase):
    codeVerifier: Annotated[
        str | None, Field(description='OAuth code verifier (PKCE)')
    ] = None
    state: Annotated[str | None, Field(description='OAuth state parameter')] = None
    url: Annotated[str, Field(description='OAuth callback URL', min_length=1)]


class OAuthConfigDto(DtoBase):
    codeChallenge: Annotated[
        str | None, Field(description='OAuth code challenge (PKCE)')
    ] = None
    redirectUri: Annotated[str, Field(description='OAuth redirect URI')]
    state: Annotated[str | None, Field(description='OAuth state parameter')] = None


class OAuthTokenEndpointAuthMethod(StrEnum):
    client_secret_post = 'client_secret_post'
    client_secret_basic = 'client_secret_basic'


class OcrConfig(DtoBase):
    enabled: Annotated[bool, Field(description='Whether the task is enabled')]
    maxResolution: Annotated[
        int,
        Field(
            description='Maximum resolution for OCR processing',
            ge=1,
            le=9007199254740991,
        ),
    ]
    minDetectionScore: Annotated[
        float,
        Field(
            description='Minimum confidence score for text detection', ge=0.1, le=1.0
        ),
    ]
    minRecognitionScore: Annotated[
        float,
        Field(
            description='Minimum confidence score for text recognition', ge=0.1, le=1.0
        ),
    ]
    modelName: Annotated[str, Field(description='Name of the model to use')]


class OnThisDayDto(DtoBase):
    year: Annotated[
        int, Field(description='Year for on this day memory', ge=1000, le=9999)
    ]


class OnboardingDto(DtoBase):
    isOnboarded: Annotated[bool, Field(description='Is user onboarded')]


class OnboardingResponseDto(DtoBase):
    isOnboarded: Annotated[bool, Field(description='Is user onboarded')]


class PartnerCreateDto(DtoBase):
    sharedWithId: Annotated[UUID, Field(description='User ID to share with')]


class PartnerDirection(StrEnum):
    shared_by = 'shared-by'
    shared_with = 'shared-with'


class PartnerUpdateDto(DtoBase):
    inTimeline: Annotated[bool, Field(description='Show partner assets in timeline')]


class PeopleResponse(DtoBase):
    enabled: Annotated[bool, Field(description='Whether people are enabled')]
    minimumFaces: Annotated[
        int | None,
        Field(description='People face threshold', ge=1, le=9007199254740991),
    ] = None
    sidebarWeb: Annotated[
        bool, Field(description='Whether people appear in web sidebar')
    ]


class PeopleUpdate(DtoBase):
    enabled: Annotated[bool | None, Field(description='Whether people are enabled')] = (
        None
    )
    minimumFaces: Annotated[
        int | None,
        Field(description='People face threshold', ge=1, le=9007199254740991),
    ] = None
    sidebarWeb: Annotated[
        bool | None, Field(description='Whether people appear in web sidebar')
    ] = None


class PeopleUpdateItem(DtoBase):
    birthDate: Annotated[
        date_aliased | None, Field(description='Person date of birth')
    ] = None
    color: Annotated[
        str | None,
        Field(
            description='Person color (hex)',
            pattern='^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$',
        ),
    ] = None
    featureFaceAssetId: Annotated[
        UUID | None, Field(description='Asset ID used for feature face thumbnail')
    ] = None
    id: Annotated[UUID, Field(description='Person ID')]
    isFavorite: Annotated[bool | None, Field(description='Mark as favorite')] = None
    isHidden: Annotated[
        bool | None, Field(description='Person visibility (hidden)')
    ] = None
    name: Annotated[str | None, Field(description='Person name')] = None


class Permission(StrEnum):
    all = 'all'
    activity_create = 'activity.create'
    activity_read = 'activity.read'
    activity_update = 'activity.update'
    activity_delete = 'activity.delete'
    activity_statistics = 'activity.statistics'
    apiKey_create = 'apiKey.create'
    apiKey_read = 'apiKey.read'
    apiKey_update = 'apiKey.update'
    apiKey_delete = 'apiKey.delete'
    asset_read = 'asset.read'
    asset_update = 'asset.update'
    asset_delete = 'asset.delete'
    asset_statistics = 'asset.statistics'
    asset_share = 'asset.share'
    asset_view = 'asset.view'
    asset_download = 'asset.download'
    asset_upload = 'asset.upload'
    asset_copy = 'asset.copy'
    asset_derive = 'asset.derive'
    asset_edit_get = 'asset.edit.get'
    asset_edit_create = 'asset.edit.create'
    asset_edit_delete = 'asset.edit.delete'
    album_create = 'album.create'
    album_read = 'album.read'
    album_update = 'album.update'
    album_delete = 'album.delete'
    album_statistics = 'album.statistics'
    album_share = 'album.share'
    album_download = 'album.download'
    albumAsset_create = 'albumAsset.create'
    albumAsset_delete = 'albumAsset.delete'
    albumUser_create = 'albumUser.create'
    albumUser_update = 'albumUser.update'
    albumUser_delete = 'albumUser.delete'
    auth_changePassword = 'auth.changePassword'
    authDevice_delete = 'authDevice.delete'
    archive_read = 'archive.read'
    backup_list = 'backup.list'
    backup_download = 'backup.download'
    backup_upload = 'backup.upload'
    backup_delete = 'backup.delete'
    duplicate_read = 'duplicate.read'
    duplicate_delete = 'duplicate.delete'
    face_create = 'face.create'
    face_read = 'face.read'
    face_update = 'face.update'
    face_delete = 'face.delete'
    folder_read = 'folder.read'
    job_create = 'job.create'
    job_read = 'job.read'
    library_create = 'library.create'
    library_read = 'library.read'
    library_update = 'library.update'
    library_delete = 'library.delete'
    library_statistics = 'library.statistics'
    timeline_read = 'timeline.read'
    timeline_download = 'timeline.download'
    maintenance = 'maintenance'
    map_read = 'map.read'
    map_search = 'map.search'
    memory_create = 'memory.create'
    memory_read = 'memory.read'
    memory_update = 'memory.update'
    memory_delete = 'memory.delete'
    memory_statistics = 'memory.statistics'
    memoryAsset_create = 'memoryAsset.create'
    memoryAsset_delete = 'memoryAsset.delete'
    notification_create = 'notification.create'
    notification_read = 'notification.read'
    notification_update = 'notification.update'
    notification_delete = 'notification.delete'
    partner_create = 'partner.create'
    partner_read = 'partner.read'
    partner_update = 'partner.update'
    partner_delete = 'partner.delete'
    person_create = 'person.create'
    person_read = 'person.read'
    person_update = 'person.update'
    person_delete = 'person.delete'
    person_statistics = 'person.statistics'
    person_merge = 'person.merge'
    person_reassign = 'person.reassign'
    pinCode_create = 'pinCode.create'
    pinCode_update = 'pinCode.update'
    pinCode_delete = 'pinCode.delete'
    plugin_create = 'plugin.create'
    plugin_read = 'plugin.read'
    plugin_update = 'plugin.update'
    plugin_delete = 'plugin.delete'
    server_about = 'server.about'
    server_apkLinks = 'server.apkLinks'
    server_storage = 'server.storage'
    server_statistics = 'server.statistics'
    server_versionCheck = 'server.versionCheck'
    serverLicense_read = 'serverLicense.read'
    serverLicense_update = 'serverLicense.update'
    serverLicense_delete = 'serverLicense.delete'
    session_create = 'session.create'
    session_read = 'session.read'
    session_update = 'session.update'
    session_delete = 'session.delete'
    session_lock = 'session.lock'
    sharedLink_create = 'sharedLink.create'
    sharedLink_read = 'sharedLink.read'
    sharedLink_update = 'sharedLink.update'
    sharedLink_delete = 'sharedLink.delete'
    stack_create = 'stack.create'
    stack_read = 'stack.read'
    stack_update = 'stack.update'
    stack_delete = 'stack.delete'
    sync_stream = 'sync.stream'
    syncCheckpoint_read = 'syncCheckpoint.read'
    syncCheckpoint_update = 'syncCheckpoint.update'
    syncCheckpoint_delete = 'syncCheckpoint.delete'
    systemConfig_read = 'systemConfig.read'
    systemConfig_update = 'systemConfig.update'
    systemMetadata_read = 'systemMetadata.read'
    systemMetadata_update = 'systemMetadata.update'
    tag_create = 'tag.create'
    tag_read = 'tag.read'
    tag_update = 'tag.update'
    tag_delete = 'tag.delete'
    tag_asset = 'tag.asset'
    user_read = 'user.read'
    user_update = 'user.update'
    userLicense_create = 'userLicense.create'
    userLicense_read = 'userLicense.read'
    userLicense_update = 'userLicense.update'
    userLicense_delete = 'userLicense.delete'
    userOnboarding_read = 'userOnboarding.read'
    userOnboarding_update = 'userOnboarding.update'
    userOnboarding_delete = 'userOnboarding.delete'
    userPreference_read = 'userPreference.read'
    userPreference_update = 'userPreference.update'
    userProfileImage_create = 'userProfileImage.create'
    userProfileImage_read = 'userProfileImage.read'
    userProfileImage_update = 'userProfileImage.update'
    userProfileImage_delete = 'userProfileImage.delete'
    queue_read = 'queue.read'
    queue_update = 'queue.update'
    queueJob_create = 'queueJob.create'
    queueJob_read = 'queueJob.read'
    queueJob_update = 'queueJob.update'
    queueJob_delete = 'queueJob.delete'
    workflow_create = 'workflow.create'
    workflow_read = 'workflow.read'
    workflow_update = 'workflow.update'
    workflow_delete = 'workflow.delete'
    adminUser_create = 'adminUser.create'
    adminUser_read = 'adminUser.read'
    adminUser_update = 'adminUser.update'
    adminUser_delete = 'adminUser.delete'
    adminSession_read = 'adminSession.read'
    adminAuth_unlinkAll = 'adminAuth.unlinkAll'


class PersonCreateDto(DtoBase):
    birthDate: Annotated[
        date_aliased | None, Field(description='Person date of birth')
    ] = None
    color: Annotated[
        str | None,
        Field(
            description='Person color (hex)',
            pattern='^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$',
        ),
    ] = None
    isFavorite: Annotated[bool | None, Field(description='Mark as favorite')] = None
    isHidden: Annotated[
        bool | None, Field(description='Person visibility (hidden)')
    ] = None
    name: Annotated[str | None, Field(description='Person name')] = None


class PersonResponseDto(DtoBase):
    birthDate: Annotated[date_aliased | None, Field(description='Person date of birth')]
    color: Annotated[str | None, Field(description='Person color (hex)')] = None
    id: Annotated[UUID, Field(description='Person ID')]
    isFavorite: Annotated[bool | None, Field(description='Is favorite')] = None
    isHidden: Annotated[bool, Field(description='Is hidden')]
    name: Annotated[str, Field(description='Person name')]
    thumbnailPath: Annotated[str, Field(description='Thumbnail path')]
    updatedAt: Annotated[
        AwareDatetime | None, Field(description='Last update date')
    ] = None


class PersonStatisticsResponseDto(DtoBase):
    assets: Annotated[
        int,
        Field(
            description='Number of assets', ge=-9007199254740991, le=9007199254740991
        ),
    ]


class PersonUpdateDto(DtoBase):
    birthDate: Annotated[
        date_aliased | None, Field(description='Person date of birth')
    ] = None
    color: Annotated[
        str | None,
        Field(
            description='Person color (hex)',
            pattern='^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$',
        ),
    ] = None
    featureFaceAssetId: Annotated[
        UUID | None, Field(description='Asset ID used for feature face thumbnail')
    ] = None
    isFavorite: Annotated[bool | None, Field(description='Mark as favorite')] = None
    isHidden: Annotated[
        bool | None, Field(description='Person visibility (hidden)')
    ] = None
    name: Annotated[str | None, Field(description='Person name')] = None


class PinCodeChangeDto(DtoBase):
    newPinCode: Annotated[
        str, Field(description='New PIN code (4-6 digits)', pattern='^\\d{6}$')
    ]
    password: Annotated[
        str | None,
        Field(
            description='User password (required if PIN code is not provided)',
            examples=['password'],
        ),
    ] = None
    pinCode: Annotated[
        str | None,
        Field(
            description='New PIN code (4-6 digits)',
            examples=['123456'],
            pattern='^\\d{6}$',
        ),
    ] = None


class PinCodeResetDto(DtoBase):
    password: Annotated[
        str | None,
        Field(
            description='User password (required if PIN code is not provided)',
            examples=['password'],
        ),
    ] = None
    pinCode: Annotated[
        str | None,
        Field(
            description='New PIN code (4-6 digits)',
            examples=['123456'],
            pattern='^\\d{6}$',
        ),
    ] = None


class PinCodeSetupDto(DtoBase):
    pinCode: Annotated[
        str,
        Field(
            description='PIN code (4-6 digits)', examples=['123456'], pattern='^\\d{6}$'
        ),
    ]


class PlacesResponseDto(DtoBase):
    admin1name: Annotated[
        str | None, Field(description='Administrative level 1 name (state/province)')
    ] = None
    admin2name: Annotated[
        str | None, Field(description='Administrative level 2 name (county/district)')
    ] = None
    latitude: Annotated[float, Field(description='Latitude coordinate')]
    longitude: Annotated[float, Field(description='Longitude coordinate')]
    name: Annotated[str, Field(description='Place name')]


class PluginTemplateStepResponseDto(DtoBase):
    config: Annotated[dict[str, Any] | None, Field(description='Step configuration')]
    enabled: Annotated[
        bool | None, Field(description='Whether the step is enabled')
    ] = None
    method: Annotated[str, Field(description='Step plugin method')]


class PurchaseResponse(DtoBase):
    hideBuyButtonUntil: Annotated[
        str, Field(description='Date until which to hide buy button')
    ]
    showSupportBadge: Annotated[
        bool, Field(description='Whether to show support badge')
    ]


class PurchaseUpdate(DtoBase):
    hideBuyButtonUntil: Annotated[
        str | None, Field(description='Date until which to hide buy button')
    ] = None
    showSupportBadge: Annotated[
        bool | None, Field(description='Whether to show support badge')
    ] = None


class QueueCommand(StrEnum):
    start = 'start'
    pause = 'pause'
    resume = 'resume'
    empty = 'empty'
    clear_failed = 'clear-failed'


class QueueCommandDto(DtoBase):
    command: QueueCommand
    force: Annotated[
        bool | None, Field(description='Force the command execution (if applicable)')
    ] = None


class QueueDeleteDto(DtoBase):
    failed: Annotated[
        bool | None,
        Field(description='If true, will also remove failed jobs from the queue.'),
    ] = None


class QueueJobResponseDto(DtoBase):
    data: Annotated[dict[str, Any], Field(description='Job data payload')]
    id: Annotated[str | None, Field(description='Job ID')] = None
    name: JobName
    timestamp: Annotated[
        int,
        Field(
            description='Job creation timestamp',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class QueueJobStatus(StrEnum):
    active = 'active'
    failed = 'failed'
    completed = 'completed'
    delayed = 'delayed'
    waiting = 'waiting'
    paused = 'paused'


class QueueName(StrEnum):
    thumbnailGeneration = 'thumbnailGeneration'
    metadataExtraction = 'metadataExtraction'
    videoConversion = 'videoConversion'
    faceDetection = 'faceDetection'
    facialRecognition = 'facialRecognition'
    smartSearch = 'smartSearch'
    duplicateDetection = 'duplicateDetection'
    backgroundTask = 'backgroundTask'
    storageTemplateMigration = 'storageTemplateMigration'
    migration = 'migration'
    search = 'search'
    sidecar = 'sidecar'
    library = 'library'
    notifications = 'notifications'
    backupDatabase = 'backupDatabase'
    ocr = 'ocr'
    workflow = 'workflow'
    integrityCheck = 'integrityCheck'
    editor = 'editor'


class QueueStatisticsDto(DtoBase):
    active: Annotated[
        int,
        Field(
            description='Number of active jobs',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    completed: Annotated[
        int,
        Field(
            description='Number of completed jobs',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    delayed: Annotated[
        int,
        Field(
            description='Number of delayed jobs',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    failed: Annotated[
        int,
        Field(
            description='Number of failed jobs',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    paused: Annotated[
        int,
        Field(
            description='Number of paused jobs',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    waiting: Annotated[
        int,
        Field(
            description='Number of waiting jobs',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class QueueStatusLegacyDto(DtoBase):
    isActive: Annotated[
        bool,
        Field(description='Whether the queue is currently active (has running jobs)'),
    ]
    isPaused: Annotated[bool, Field(description='Whether the queue is paused')]


class QueueUpdateDto(DtoBase):
    isPaused: Annotated[
        bool | None, Field(description='Whether to pause the queue')
    ] = None


class RandomSearchDto(DtoBase):
    albumIds: Annotated[
        list[AlbumId] | None, Field(description='Filter by album IDs')
    ] = None
    city: Annotated[str | None, Field(description='Filter by city name')] = None
    country: Annotated[str | None, Field(description='Filter by country name')] = None
    createdAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    createdBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    isEncoded: Annotated[bool | None, Field(description='Filter by encoded status')] = (
        None
    )
    isFavorite: Annotated[
        bool | None, Field(description='Filter by favorite status')
    ] = None
    isMotion: Annotated[
        bool | None, Field(description='Filter by motion photo status')
    ] = None
    isNotInAlbum: Annotated[
        bool | None, Field(description='Filter assets not in any album')
    ] = None
    isOffline: Annotated[bool | None, Field(description='Filter by offline status')] = (
        None
    )
    lensModel: Annotated[str | None, Field(description='Filter by lens model')] = None
    libraryId: Annotated[UUID | None, Field(description='Library ID to filter by')] = (
        None
    )
    make: Annotated[str | None, Field(description='Filter by camera make')] = None
    model: Annotated[str | None, Field(description='Filter by camera model')] = None
    ocr: Annotated[str | None, Field(description='Filter by OCR text content')] = None
    personIds: Annotated[
        list[PersonId] | None, Field(description='Filter by person IDs')
    ] = None
    rating: Annotated[
        int | None,
        Field(description='Filter by rating [1-5], or null for unrated', ge=1, le=5),
    ] = None
    size: Annotated[
        int | None, Field(description='Number of results to return', ge=1, le=1000)
    ] = None
    state: Annotated[str | None, Field(description='Filter by state/province name')] = (
        None
    )
    tagIds: Annotated[list[TagId] | None, Field(description='Filter by tag IDs')] = None
    takenAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    takenBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    type: AssetTypeEnum | None = None
    updatedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    updatedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    visibility: AssetVisibility | None = None
    withDeleted: Annotated[bool | None, Field(description='Include deleted assets')] = (
        None
    )
    withExif: Annotated[
        bool | None, Field(description='Include EXIF data in response')
    ] = None
    withPeople: Annotated[
        bool | None, Field(description='Include people data in response')
    ] = None
    withStacked: Annotated[bool | None, Field(description='Include stacked assets')] = (
        None
    )


class RatingsResponse(DtoBase):
    enabled: Annotated[bool, Field(description='Whether ratings are enabled')]


class RatingsUpdate(DtoBase):
    enabled: Annotated[
        bool | None, Field(description='Whether ratings are enabled')
    ] = None


class ReactionLevel(StrEnum):
    album = 'album'
    asset = 'asset'


class ReactionType(StrEnum):
    comment = 'comment'
    like = 'like'


class RecentlyAddedResponse(DtoBase):
    sidebarWeb: Annotated[
        bool,
        Field(description='Whether the recently added page appears in the web sidebar'),
    ]


class RecentlyAddedUpdate(DtoBase):
    sidebarWeb: Annotated[
        bool | None,
        Field(description='Whether the recently added page appears in the web sidebar'),
    ] = None


class ReleaseChannel(StrEnum):
    stable = 'stable'
    releaseCandidate = 'releaseCandidate'


class ReleaseType(StrEnum):
    major = 'major'
    premajor = 'premajor'
    minor = 'minor'
    preminor = 'preminor'
    patch = 'patch'
    prepatch = 'prepatch'
    prerelease = 'prerelease'


class ReverseGeocodingStateResponseDto(DtoBase):
    lastImportFileName: Annotated[
        str | None, Field(description='Last import file name')
    ]
    lastUpdate: Annotated[str | None, Field(description='Last update timestamp')]


class RotateParameters(DtoBase):
    angle: Annotated[float, Field(description='Rotation angle in degrees')]


class SearchFacetCountResponseDto(DtoBase):
    count: Annotated[
        int,
        Field(
            description='Number of assets with this facet value',
            ge=0,
            le=9007199254740991,
        ),
    ]
    value: Annotated[str, Field(description='Facet value')]


class SearchFacetResponseDto(DtoBase):
    counts: list[SearchFacetCountResponseDto]
    fieldName: Annotated[str, Field(description='Facet field name')]


class SearchStatisticsResponseDto(DtoBase):
    total: Annotated[
        int,
        Field(
            description='Total number of matching assets',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class SearchSuggestionType(StrEnum):
    country = 'country'
    state = 'state'
    city = 'city'
    camera_make = 'camera-make'
    camera_model = 'camera-model'
    camera_lens_model = 'camera-lens-model'


class ServerAboutResponseDto(DtoBase):
    build: Annotated[str | None, Field(description='Build identifier')] = None
    buildImage: Annotated[str | None, Field(description='Build image name')] = None
    buildImageUrl: Annotated[str | None, Field(description='Build image URL')] = None
    buildUrl: Annotated[str | None, Field(description='Build URL')] = None
    exiftool: Annotated[str | None, Field(description='ExifTool version')] = None
    ffmpeg: Annotated[str | None, Field(description='FFmpeg version')] = None
    imagemagick: Annotated[str | None, Field(description='ImageMagick version')] = None
    libvips: Annotated[str | None, Field(description='libvips version')] = None
    licensed: Annotated[bool, Field(description='Whether the server is licensed')]
    nodejs: Annotated[str | None, Field(description='Node.js version')] = None
    repository: Annotated[str | None, Field(description='Repository name')] = None
    repositoryUrl: Annotated[str | None, Field(description='Repository URL')] = None
    sourceCommit: Annotated[str | None, Field(description='Source commit hash')] = None
    sourceRef: Annotated[
        str | None, Field(description='Source reference (branch/tag)')
    ] = None
    sourceUrl: Annotated[str | None, Field(description='Source URL')] = None
    thirdPartyBugFeatureUrl: Annotated[
        str | None, Field(description='Third-party bug/feature URL')
    ] = None
    thirdPartyDocumentationUrl: Annotated[
        str | None, Field(description='Third-party documentation URL')
    ] = None
    thirdPartySourceUrl: Annotated[
        str | None, Field(description='Third-party source URL')
    ] = None
    thirdPartySupportUrl: Annotated[
        str | None, Field(description='Third-party support URL')
    ] = None
    version: Annotated[str, Field(description='Server version')]
    versionUrl: Annotated[str, Field(description='URL to version information')]


class ServerApkLinksDto(DtoBase):
    arm64v8a: Annotated[
        str, Field(description='APK download link for ARM64 v8a architecture')
    ]
    armeabiv7a: Annotated[
        str, Field(description='APK download link for ARM EABI v7a architecture')
    ]
    universal: Annotated[
        str, Field(description='APK download link for universal architecture')
    ]
    x86_64: Annotated[
        str, Field(description='APK download link for x86_64 architecture')
    ]


class ServerConfigDto(DtoBase):
    externalDomain: Annotated[str, Field(description='External domain URL')]
    isInitialized: Annotated[
        bool, Field(description='Whether the server has been initialized')
    ]
    isOnboarded: Annotated[
        bool, Field(description='Whether the admin has completed onboarding')
    ]
    loginPageMessage: Annotated[str, Field(description='Login page message')]
    maintenanceMode: Annotated[
        bool, Field(description='Whether maintenance mode is active')
    ]
    mapDarkStyleUrl: Annotated[str, Field(description='Map dark style URL')]
    mapLightStyleUrl: Annotated[str, Field(description='Map light style URL')]
    minFaces: Annotated[
        int,
        Field(
            description='People min faces server default',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    oauthButtonText: Annotated[str, Field(description='OAuth button text')]
    publicUsers: Annotated[
        bool, Field(description='Whether public user registration is enabled')
    ]
    trashDays: Annotated[
        int,
        Field(
            description='Number of days before trashed assets are permanently deleted',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    userDeleteDelay: Annotated[
        int,
        Field(
            description='Delay in days before deleted users are permanently removed',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class ServerFeaturesDto(DtoBase):
    configFile: Annotated[bool, Field(description='Whether config file is available')]
    duplicateDetection: Annotated[
        bool, Field(description='Whether duplicate detection is enabled')
    ]
    email: Annotated[bool, Field(description='Whether email notifications are enabled')]
    facialRecognition: Annotated[
        bool, Field(description='Whether facial recognition is enabled')
    ]
    importFaces: Annotated[bool, Field(description='Whether face import is enabled')]
    map: Annotated[bool, Field(description='Whether map feature is enabled')]
    oauth: Annotated[bool, Field(description='Whether OAuth is enabled')]
    oauthAutoLaunch: Annotated[
        bool, Field(description='Whether OAuth auto-launch is enabled')
    ]
    ocr: Annotated[bool, Field(description='Whether OCR is enabled')]
    passwordLogin: Annotated[
        bool, Field(description='Whether password login is enabled')
    ]
    realtimeTranscoding: Annotated[
        bool, Field(description='Whether real-time transcoding is enabled')
    ]
    reverseGeocoding: Annotated[
        bool, Field(description='Whether reverse geocoding is enabled')
    ]
    search: Annotated[bool, Field(description='Whether search is enabled')]
    sidecar: Annotated[bool, Field(description='Whether sidecar files are supported')]
    smartSearch: Annotated[bool, Field(description='Whether smart search is enabled')]
    trash: Annotated[bool, Field(description='Whether trash feature is enabled')]


class ServerMediaTypesResponseDto(DtoBase):
    image: Annotated[list[str], Field(description='Supported image MIME types')]
    sidecar: Annotated[list[str], Field(description='Supported sidecar MIME types')]
    video: Annotated[list[str], Field(description='Supported video MIME types')]


class ServerPingResponse(DtoBase):
    res: Annotated[str, Field(examples=['pong'])]


class ServerStorageResponseDto(DtoBase):
    diskAvailable: Annotated[
        str, Field(description='Available disk space (human-readable format)')
    ]
    diskAvailableRaw: Annotated[
        int,
        Field(
            description='Available disk space in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    diskSize: Annotated[
        str, Field(description='Total disk size (human-readable format)')
    ]
    diskSizeRaw: Annotated[
        int,
        Field(
            description='Total disk size in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    diskUsagePercentage: Annotated[
        float, Field(description='Disk usage percentage (0-100)')
    ]
    diskUse: Annotated[
        str, Field(description='Used disk space (human-readable format)')
    ]
    diskUseRaw: Annotated[
        int,
        Field(
            description='Used disk space in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class ServerVersionHistoryResponseDto(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(
            description='When this version was first seen',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ]
    id: Annotated[UUID, Field(description='Version history entry ID')]
    version: Annotated[str, Field(description='Version string')]


class ServerVersionResponseDto(DtoBase):
    major: Annotated[
        int, Field(description='Major version number', ge=0, le=9007199254740991)
    ]
    minor: Annotated[
        int, Field(description='Minor version number', ge=0, le=9007199254740991)
    ]
    patch: Annotated[
        int, Field(description='Patch version number', ge=0, le=9007199254740991)
    ]
    prerelease: Annotated[
        int | None,
        Field(description='Pre-release version number', ge=0, le=9007199254740991),
    ]


class SessionCreateDto(DtoBase):
    deviceOS: Annotated[str | None, Field(description='Device OS')] = None
    deviceType: Annotated[str | None, Field(description='Device type')] = None
    duration: Annotated[
        int | None,
        Field(description='Session duration in seconds', ge=1, le=9007199254740991),
    ] = None


class SessionCreateResponseDto(DtoBase):
    appVersion: Annotated[str | None, Field(description='App version')]
    createdAt: Annotated[str, Field(description='Creation date')]
    current: Annotated[bool, Field(description='Is current session')]
    deviceOS: Annotated[str, Field(description='Device OS')]
    deviceType: Annotated[str, Field(description='Device type')]
    expiresAt: Annotated[str | None, Field(description='Expiration date')] = None
    id: Annotated[UUID, Field(description='Session ID')]
    isPendingSyncReset: Annotated[bool, Field(description='Is pending sync reset')]
    token: Annotated[str, Field(description='Session token')]
    updatedAt: Annotated[str, Field(description='Last update date')]


class SessionResponseDto(DtoBase):
    appVersion: Annotated[str | None, Field(description='App version')]
    createdAt: Annotated[str, Field(description='Creation date')]
    current: Annotated[bool, Field(description='Is current session')]
    deviceOS: Annotated[str, Field(description='Device OS')]
    deviceType: Annotated[str, Field(description='Device type')]
    expiresAt: Annotated[str | None, Field(description='Expiration date')] = None
    id: Annotated[UUID, Field(description='Session ID')]
    isPendingSyncReset: Annotated[bool, Field(description='Is pending sync reset')]
    updatedAt: Annotated[str, Field(description='Last update date')]


class SessionUnlockDto(DtoBase):
    password: Annotated[
        str | None,
        Field(
            description='User password (required if PIN code is not provided)',
            examples=['password'],
        ),
    ] = None
    pinCode: Annotated[
        str | None,
        Field(
            description='New PIN code (4-6 digits)',
            examples=['123456'],
            pattern='^\\d{6}$',
        ),
    ] = None


class SessionUpdateDto(DtoBase):
    isPendingSyncReset: Annotated[
        bool | None, Field(description='Reset pending sync state')
    ] = None


class SetMaintenanceModeDto(DtoBase):
    action: MaintenanceAction
    restoreBackupFilename: Annotated[
        str | None, Field(description='Restore backup filename')
    ] = None


class SharedLinkEditDto(DtoBase):
    allowDownload: Annotated[bool | None, Field(description='Allow downloads')] = None
    allowUpload: Annotated[bool | None, Field(description='Allow uploads')] = None
    description: Annotated[str | None, Field(description='Link description')] = None
    expiresAt: Annotated[
        AwareDatetime | None,
        Field(description='Expiration date', examples=['2024-01-01T00:00:00.000Z']),
    ] = None
    password: Annotated[str | None, Field(description='Link password')] = None
    showMetadata: Annotated[bool | None, Field(description='Show metadata')] = None
    slug: Annotated[str | None, Field(description='Custom URL slug')] = None


class SharedLinkLoginDto(DtoBase):
    password: Annotated[
        str, Field(description='Shared link password', examples=['password'])
    ]


class SharedLinkType(StrEnum):
    ALBUM = 'ALBUM'
    INDIVIDUAL = 'INDIVIDUAL'


class SharedLinksResponse(DtoBase):
    enabled: Annotated[bool, Field(description='Whether shared links are enabled')]
    sidebarWeb: Annotated[
        bool, Field(description='Whether shared links appear in web sidebar')
    ]


class SharedLinksUpdate(DtoBase):
    enabled: Annotated[
        bool | None, Field(description='Whether shared links are enabled')
    ] = None
    sidebarWeb: Annotated[
        bool | None, Field(description='Whether shared links appear in web sidebar')
    ] = None


class SignUpDto(DtoBase):
    email: Annotated[
        str,
        Field(
            description='User email',
            examples=['testuser@email.com'],
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    name: Annotated[str, Field(description='User name', examples=['Admin'])]
    password: Annotated[str, Field(description='User password', examples=['password'])]


class SmartSearchDto(DtoBase):
    albumIds: Annotated[
        list[AlbumId] | None, Field(description='Filter by album IDs')
    ] = None
    city: Annotated[str | None, Field(description='Filter by city name')] = None
    country: Annotated[str | None, Field(description='Filter by country name')] = None
    createdAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    createdBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    isEncoded: Annotated[bool | None, Field(description='Filter by encoded status')] = (
        None
    )
    isFavorite: Annotated[
        bool | None, Field(description='Filter by favorite status')
    ] = None
    isMotion: Annotated[
        bool | None, Field(description='Filter by motion photo status')
    ] = None
    isNotInAlbum: Annotated[
        bool | None, Field(description='Filter assets not in any album')
    ] = None
    isOffline: Annotated[bool | None, Field(description='Filter by offline status')] = (
        None
    )
    language: Annotated[str | None, Field(description='Search language code')] = None
    lensModel: Annotated[str | None, Field(description='Filter by lens model')] = None
    libraryId: Annotated[UUID | None, Field(description='Library ID to filter by')] = (
        None
    )
    make: Annotated[str | None, Field(description='Filter by camera make')] = None
    model: Annotated[str | None, Field(description='Filter by camera model')] = None
    ocr: Annotated[str | None, Field(description='Filter by OCR text content')] = None
    page: Annotated[
        int | None, Field(description='Page number', ge=1, le=9007199254740991)
    ] = None
    personIds: Annotated[
        list[PersonId] | None, Field(description='Filter by person IDs')
    ] = None
    query: Annotated[str | None, Field(description='Natural language search query')] = (
        None
    )
    queryAssetId: Annotated[
        UUID | None, Field(description='Asset ID to use as search reference')
    ] = None
    rating: Annotated[
        int | None,
        Field(description='Filter by rating [1-5], or null for unrated', ge=1, le=5),
    ] = None
    size: Annotated[
        int | None, Field(description='Number of results to return', ge=1, le=1000)
    ] = None
    state: Annotated[str | None, Field(description='Filter by state/province name')] = (
        None
    )
    tagIds: Annotated[list[TagId] | None, Field(description='Filter by tag IDs')] = None
    takenAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    takenBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    type: AssetTypeEnum | None = None
    updatedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    updatedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    visibility: AssetVisibility | None = None
    withDeleted: Annotated[bool | None, Field(description='Include deleted assets')] = (
        None
    )
    withExif: Annotated[
        bool | None, Field(description='Include EXIF data in response')
    ] = None


class SourceType(StrEnum):
    machine_learning = 'machine-learning'
    exif = 'exif'
    manual = 'manual'


class StackCreateDto(DtoBase):
    assetIds: Annotated[
        list[AssetId],
        Field(description='Asset IDs (first becomes primary, min 2)', min_length=2),
    ]


class StackUpdateDto(DtoBase):
    primaryAssetId: Annotated[UUID | None, Field(description='Primary asset ID')] = None


class StatisticsSearchDto(DtoBase):
    albumIds: Annotated[
        list[AlbumId] | None, Field(description='Filter by album IDs')
    ] = None
    city: Annotated[str | None, Field(description='Filter by city name')] = None
    country: Annotated[str | None, Field(description='Filter by country name')] = None
    createdAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    createdBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by creation date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    description: Annotated[
        str | None, Field(description='Filter by description text')
    ] = None
    isEncoded: Annotated[bool | None, Field(description='Filter by encoded status')] = (
        None
    )
    isFavorite: Annotated[
        bool | None, Field(description='Filter by favorite status')
    ] = None
    isMotion: Annotated[
        bool | None, Field(description='Filter by motion photo status')
    ] = None
    isNotInAlbum: Annotated[
        bool | None, Field(description='Filter assets not in any album')
    ] = None
    isOffline: Annotated[bool | None, Field(description='Filter by offline status')] = (
        None
    )
    lensModel: Annotated[str | None, Field(description='Filter by lens model')] = None
    libraryId: Annotated[UUID | None, Field(description='Library ID to filter by')] = (
        None
    )
    make: Annotated[str | None, Field(description='Filter by camera make')] = None
    model: Annotated[str | None, Field(description='Filter by camera model')] = None
    ocr: Annotated[str | None, Field(description='Filter by OCR text content')] = None
    personIds: Annotated[
        list[PersonId] | None, Field(description='Filter by person IDs')
    ] = None
    rating: Annotated[
        int | None,
        Field(description='Filter by rating [1-5], or null for unrated', ge=1, le=5),
    ] = None
    state: Annotated[str | None, Field(description='Filter by state/province name')] = (
        None
    )
    tagIds: Annotated[list[TagId] | None, Field(description='Filter by tag IDs')] = None
    takenAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    takenBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by taken date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    trashedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by trash date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    type: AssetTypeEnum | None = None
    updatedAfter: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (after)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    updatedBefore: Annotated[
        AwareDatetime | None,
        Field(
            description='Filter by update date (before)',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    visibility: AssetVisibility | None = None


class StorageFolder(StrEnum):
    encoded_video = 'encoded-video'
    library = 'library'
    upload = 'upload'
    profile = 'profile'
    thumbs = 'thumbs'
    backups = 'backups'


class SyncAckSetDto(DtoBase):
    acks: Annotated[
        list[str], Field(description='Acknowledgment IDs (max 1000)', max_length=1000)
    ]


class SyncAckV1(DtoBase):
    pass


class SyncAlbumDeleteV1(DtoBase):
    albumId: Annotated[UUID, Field(description='Album ID')]


class SyncAlbumToAssetDeleteV1(DtoBase):
    albumId: Annotated[UUID, Field(description='Album ID')]
    assetId: Annotated[UUID, Field(description='Asset ID')]


class SyncAlbumToAssetV1(DtoBase):
    albumId: Annotated[UUID, Field(description='Album ID')]
    assetId: Annotated[UUID, Field(description='Asset ID')]


class SyncAlbumUserDeleteV1(DtoBase):
    albumId: Annotated[UUID, Field(description='Album ID')]
    userId: Annotated[UUID, Field(description='User ID')]


class SyncAlbumUserV1(DtoBase):
    albumId: Annotated[UUID, Field(description='Album ID')]
    role: AlbumUserRole
    userId: Annotated[UUID, Field(description='User ID')]


class SyncAlbumV1(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    description: Annotated[str, Field(description='Album description')]
    id: Annotated[UUID, Field(description='Album ID')]
    isActivityEnabled: Annotated[bool, Field(description='Is activity enabled')]
    name: Annotated[str, Field(description='Album name')]
    order: AssetOrder
    ownerId: Annotated[UUID, Field(description='Owner ID')]
    thumbnailAssetId: Annotated[str | None, Field(description='Thumbnail asset ID')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Updated at', examples=['2024-01-01T00:00:00.000Z']),
    ]


class SyncAlbumV2(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    description: Annotated[str, Field(description='Album description')]
    id: Annotated[UUID, Field(description='Album ID')]
    isActivityEnabled: Annotated[bool, Field(description='Is activity enabled')]
    name: Annotated[str, Field(description='Album name')]
    order: AssetOrder
    thumbnailAssetId: Annotated[str | None, Field(description='Thumbnail asset ID')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Updated at', examples=['2024-01-01T00:00:00.000Z']),
    ]


class SyncAssetDeleteV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]


class SyncAssetEditDeleteV1(DtoBase):
    editId: Annotated[UUID, Field(description='Edit ID')]


class SyncAssetEditV1(DtoBase):
    action: AssetEditAction
    assetId: Annotated[UUID, Field(description='Asset ID')]
    id: Annotated[UUID, Field(description='Edit ID')]
    parameters: Annotated[dict[str, Any], Field(description='Edit parameters')]
    sequence: Annotated[
        int,
        Field(description='Edit sequence', ge=-9007199254740991, le=9007199254740991),
    ]


class SyncAssetExifV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    city: Annotated[str | None, Field(description='City')]
    country: Annotated[str | None, Field(description='Country')]
    dateTimeOriginal: Annotated[
        AwareDatetime | None,
        Field(description='Date time original', examples=['2024-01-01T00:00:00.000Z']),
    ]
    description: Annotated[str | None, Field(description='Description')]
    exifImageHeight: Annotated[
        int | None,
        Field(
            description='Exif image height', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    exifImageWidth: Annotated[
        int | None,
        Field(
            description='Exif image width', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    exposureTime: Annotated[str | None, Field(description='Exposure time')]
    fNumber: Annotated[float | None, Field(description='F number')]
    fileSizeInByte: Annotated[
        int | None,
        Field(
            description='File size in byte', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    focalLength: Annotated[float | None, Field(description='Focal length')]
    fps: Annotated[float | None, Field(description='FPS')]
    iso: Annotated[
        int | None, Field(description='ISO', ge=-9007199254740991, le=9007199254740991)
    ]
    latitude: Annotated[float | None, Field(description='Latitude')]
    lensModel: Annotated[str | None, Field(description='Lens model')]
    longitude: Annotated[float | None, Field(description='Longitude')]
    make: Annotated[str | None, Field(description='Make')]
    model: Annotated[str | None, Field(description='Model')]
    modifyDate: Annotated[
        AwareDatetime | None,
        Field(description='Modify date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    orientation: Annotated[str | None, Field(description='Orientation')]
    profileDescription: Annotated[str | None, Field(description='Profile description')]
    projectionType: Annotated[str | None, Field(description='Projection type')]
    rating: Annotated[
        int | None,
        Field(description='Rating', ge=-9007199254740991, le=9007199254740991),
    ]
    state: Annotated[str | None, Field(description='State')]
    timeZone: Annotated[str | None, Field(description='Time zone')]


class SyncAssetFaceDeleteV1(DtoBase):
    assetFaceId: Annotated[UUID, Field(description='Asset face ID')]


class SyncAssetFaceV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    boundingBoxX1: Annotated[
        int,
        Field(description='Bounding box X1', ge=-9007199254740991, le=9007199254740991),
    ]
    boundingBoxX2: Annotated[
        int,
        Field(description='Bounding box X2', ge=-9007199254740991, le=9007199254740991),
    ]
    boundingBoxY1: Annotated[
        int,
        Field(description='Bounding box Y1', ge=-9007199254740991, le=9007199254740991),
    ]
    boundingBoxY2: Annotated[
        int,
        Field(description='Bounding box Y2', ge=-9007199254740991, le=9007199254740991),
    ]
    id: Annotated[UUID, Field(description='Asset face ID')]
    imageHeight: Annotated[
        int,
        Field(description='Image height', ge=-9007199254740991, le=9007199254740991),
    ]
    imageWidth: Annotated[
        int, Field(description='Image width', ge=-9007199254740991, le=9007199254740991)
    ]
    personId: Annotated[str | None, Field(description='Person ID')]
    sourceType: Annotated[str, Field(description='Source type')]


class SyncAssetFaceV2(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    boundingBoxX1: Annotated[
        int,
        Field(description='Bounding box X1', ge=-9007199254740991, le=9007199254740991),
    ]
    boundingBoxX2: Annotated[
        int,
        Field(description='Bounding box X2', ge=-9007199254740991, le=9007199254740991),
    ]
    boundingBoxY1: Annotated[
        int,
        Field(description='Bounding box Y1', ge=-9007199254740991, le=9007199254740991),
    ]
    boundingBoxY2: Annotated[
        int,
        Field(description='Bounding box Y2', ge=-9007199254740991, le=9007199254740991),
    ]
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='Face deleted at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    id: Annotated[UUID, Field(description='Asset face ID')]
    imageHeight: Annotated[
        int,
        Field(description='Image height', ge=-9007199254740991, le=9007199254740991),
    ]
    imageWidth: Annotated[
        int, Field(description='Image width', ge=-9007199254740991, le=9007199254740991)
    ]
    isVisible: Annotated[bool, Field(description='Is the face visible in the asset')]
    personId: Annotated[str | None, Field(description='Person ID')]
    sourceType: Annotated[str, Field(description='Source type')]


class SyncAssetMetadataDeleteV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    key: Annotated[str, Field(description='Key')]


class SyncAssetMetadataV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    key: Annotated[str, Field(description='Key')]
    value: Annotated[dict[str, Any], Field(description='Value')]


class SyncAssetOcrDeleteV1(DtoBase):
    assetId: Annotated[
        str, Field(description='Original asset ID of the deleted OCR entry')
    ]
    deletedAt: Annotated[
        AwareDatetime,
        Field(
            description='Timestamp when the OCR entry was deleted',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ]
    id: Annotated[str, Field(description='Audit row ID of the deleted OCR entry')]


class SyncAssetOcrV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    boxScore: Annotated[
        float, Field(description='Confidence score of the bounding box')
    ]
    id: Annotated[UUID, Field(description='OCR entry ID')]
    isVisible: Annotated[bool, Field(description='Whether the OCR entry is visible')]
    text: Annotated[str, Field(description='Recognized text content')]
    textScore: Annotated[
        float, Field(description='Confidence score of the recognized text')
    ]
    x1: Annotated[float, Field(description='Top-left X coordinate (normalized 0–1)')]
    x2: Annotated[float, Field(description='Top-right X coordinate (normalized 0–1)')]
    x3: Annotated[
        float, Field(description='Bottom-right X coordinate (normalized 0–1)')
    ]
    x4: Annotated[float, Field(description='Bottom-left X coordinate (normalized 0–1)')]
    y1: Annotated[float, Field(description='Top-left Y coordinate (normalized 0–1)')]
    y2: Annotated[float, Field(description='Top-right Y coordinate (normalized 0–1)')]
    y3: Annotated[
        float, Field(description='Bottom-right Y coordinate (normalized 0–1)')
    ]
    y4: Annotated[float, Field(description='Bottom-left Y coordinate (normalized 0–1)')]


class SyncAssetV1(DtoBase):
    checksum: Annotated[str, Field(description='Checksum')]
    createdAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Uploaded to Immich at', examples=['2024-01-01T00:00:00.000Z']
        ),
    ]
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='Deleted at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    duration: Annotated[str | None, Field(description='Duration')]
    fileCreatedAt: Annotated[
        AwareDatetime | None,
        Field(description='File created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    fileModifiedAt: Annotated[
        AwareDatetime | None,
        Field(description='File modified at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    height: Annotated[
        int | None,
        Field(description='Asset height', ge=-9007199254740991, le=9007199254740991),
    ]
    id: Annotated[UUID, Field(description='Asset ID')]
    isEdited: Annotated[bool, Field(description='Is edited')]
    isFavorite: Annotated[bool, Field(description='Is favorite')]
    libraryId: Annotated[str | None, Field(description='Library ID')]
    livePhotoVideoId: Annotated[str | None, Field(description='Live photo video ID')]
    localDateTime: Annotated[
        AwareDatetime | None,
        Field(description='Local date time', examples=['2024-01-01T00:00:00.000Z']),
    ]
    originalFileName: Annotated[str, Field(description='Original file name')]
    ownerId: Annotated[UUID, Field(description='Owner ID')]
    stackId: Annotated[str | None, Field(description='Stack ID')]
    thumbhash: Annotated[str | None, Field(description='Thumbhash')]
    type: AssetTypeEnum
    visibility: AssetVisibility
    width: Annotated[
        int | None,
        Field(description='Asset width', ge=-9007199254740991, le=9007199254740991),
    ]


class SyncAssetV2(DtoBase):
    checksum: Annotated[str, Field(description='Checksum')]
    createdAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Uploaded to Immich at', examples=['2024-01-01T00:00:00.000Z']
        ),
    ]
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='Deleted at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    duration: Annotated[int | None, Field(description='Duration', ge=0, le=2147483647)]
    fileCreatedAt: Annotated[
        AwareDatetime | None,
        Field(description='File created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    fileModifiedAt: Annotated[
        AwareDatetime | None,
        Field(description='File modified at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    height: Annotated[
        int | None,
        Field(description='Asset height', ge=-9007199254740991, le=9007199254740991),
    ]
    id: Annotated[UUID, Field(description='Asset ID')]
    isEdited: Annotated[bool, Field(description='Is edited')]
    isFavorite: Annotated[bool, Field(description='Is favorite')]
    libraryId: Annotated[str | None, Field(description='Library ID')]
    livePhotoVideoId: Annotated[str | None, Field(description='Live photo video ID')]
    localDateTime: Annotated[
        AwareDatetime | None,
        Field(description='Local date time', examples=['2024-01-01T00:00:00.000Z']),
    ]
    originalFileName: Annotated[str, Field(description='Original file name')]
    ownerId: Annotated[UUID, Field(description='Owner ID')]
    stackId: Annotated[str | None, Field(description='Stack ID')]
    thumbhash: Annotated[str | None, Field(description='Thumbhash')]
    type: AssetTypeEnum
    visibility: AssetVisibility
    width: Annotated[
        int | None,
        Field(description='Asset width', ge=-9007199254740991, le=9007199254740991),
    ]


class SyncCompleteV1(DtoBase):
    pass


class SyncEntityType(StrEnum):
    AuthUserV1 = 'AuthUserV1'
    UserV1 = 'UserV1'
    UserDeleteV1 = 'UserDeleteV1'
    AssetV1 = 'AssetV1'
    AssetV2 = 'AssetV2'
    AssetDeleteV1 = 'AssetDeleteV1'
    AssetExifV1 = 'AssetExifV1'
    AssetEditV1 = 'AssetEditV1'
    AssetEditDeleteV1 = 'AssetEditDeleteV1'
    AssetMetadataV1 = 'AssetMetadataV1'
    AssetMetadataDeleteV1 = 'AssetMetadataDeleteV1'
    AssetOcrV1 = 'AssetOcrV1'
    AssetOcrDeleteV1 = 'AssetOcrDeleteV1'
    PartnerV1 = 'PartnerV1'
    PartnerDeleteV1 = 'PartnerDeleteV1'
    PartnerAssetV1 = 'PartnerAssetV1'
    PartnerAssetV2 = 'PartnerAssetV2'
    PartnerAssetBackfillV1 = 'PartnerAssetBackfillV1'
    PartnerAssetBackfillV2 = 'PartnerAssetBackfillV2'
    PartnerAssetDeleteV1 = 'PartnerAssetDeleteV1'
    PartnerAssetExifV1 = 'PartnerAssetExifV1'
    PartnerAssetExifBackfillV1 = 'PartnerAssetExifBackfillV1'
    PartnerStackBackfillV1 = 'PartnerStackBackfillV1'
    PartnerStackDeleteV1 = 'PartnerStackDeleteV1'
    PartnerStackV1 = 'PartnerStackV1'
    AlbumV1 = 'AlbumV1'
    AlbumV2 = 'AlbumV2'
    AlbumDeleteV1 = 'AlbumDeleteV1'
    AlbumUserV1 = 'AlbumUserV1'
    AlbumUserBackfillV1 = 'AlbumUserBackfillV1'
    AlbumUserDeleteV1 = 'AlbumUserDeleteV1'
    AlbumAssetCreateV1 = 'AlbumAssetCreateV1'
    AlbumAssetCreateV2 = 'AlbumAssetCreateV2'
    AlbumAssetUpdateV1 = 'AlbumAssetUpdateV1'
    AlbumAssetUpdateV2 = 'AlbumAssetUpdateV2'
    AlbumAssetBackfillV1 = 'AlbumAssetBackfillV1'
    AlbumAssetBackfillV2 = 'AlbumAssetBackfillV2'
    AlbumAssetExifCreateV1 = 'AlbumAssetExifCreateV1'
    AlbumAssetExifUpdateV1 = 'AlbumAssetExifUpdateV1'
    AlbumAssetExifBackfillV1 = 'AlbumAssetExifBackfillV1'
    AlbumToAssetV1 = 'AlbumToAssetV1'
    AlbumToAssetDeleteV1 = 'AlbumToAssetDeleteV1'
    AlbumToAssetBackfillV1 = 'AlbumToAssetBackfillV1'
    MemoryV1 = 'MemoryV1'
    MemoryDeleteV1 = 'MemoryDeleteV1'
    MemoryToAssetV1 = 'MemoryToAssetV1'
    MemoryToAssetDeleteV1 = 'MemoryToAssetDeleteV1'
    StackV1 = 'StackV1'
    StackDeleteV1 = 'StackDeleteV1'
    PersonV1 = 'PersonV1'
    PersonDeleteV1 = 'PersonDeleteV1'
    AssetFaceV1 = 'AssetFaceV1'
    AssetFaceV2 = 'AssetFaceV2'
    AssetFaceDeleteV1 = 'AssetFaceDeleteV1'
    UserMetadataV1 = 'UserMetadataV1'
    UserMetadataDeleteV1 = 'UserMetadataDeleteV1'
    SyncAckV1 = 'SyncAckV1'
    SyncResetV1 = 'SyncResetV1'
    SyncCompleteV1 = 'SyncCompleteV1'


class SyncMemoryAssetDeleteV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    memoryId: Annotated[UUID, Field(description='Memory ID')]


class SyncMemoryAssetV1(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID')]
    memoryId: Annotated[UUID, Field(description='Memory ID')]


class SyncMemoryDeleteV1(DtoBase):
    memoryId: Annotated[UUID, Field(description='Memory ID')]


class SyncMemoryV1(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    data: Annotated[dict[str, Any], Field(description='Data')]
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='Deleted at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    hideAt: Annotated[
        AwareDatetime | None,
        Field(description='Hide at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    id: Annotated[UUID, Field(description='Memory ID')]
    isSaved: Annotated[bool, Field(description='Is saved')]
    memoryAt: Annotated[
        AwareDatetime,
        Field(description='Memory at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    ownerId: Annotated[UUID, Field(description='Owner ID')]
    seenAt: Annotated[
        AwareDatetime | None,
        Field(description='Seen at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    showAt: Annotated[
        AwareDatetime | None,
        Field(description='Show at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    type: MemoryType
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Updated at', examples=['2024-01-01T00:00:00.000Z']),
    ]


class SyncPartnerDeleteV1(DtoBase):
    sharedById: Annotated[UUID, Field(description='Shared by ID')]
    sharedWithId: Annotated[UUID, Field(description='Shared with ID')]


class SyncPartnerV1(DtoBase):
    inTimeline: Annotated[bool, Field(description='In timeline')]
    sharedById: Annotated[UUID, Field(description='Shared by ID')]
    sharedWithId: Annotated[UUID, Field(description='Shared with ID')]


class SyncPersonDeleteV1(DtoBase):
    personId: Annotated[UUID, Field(description='Person ID')]


class SyncPersonV1(DtoBase):
    birthDate: Annotated[
        AwareDatetime | None,
        Field(description='Birth date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    color: Annotated[str | None, Field(description='Color')]
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    faceAssetId: Annotated[str | None, Field(description='Face asset ID')]
    id: Annotated[UUID, Field(description='Person ID')]
    isFavorite: Annotated[bool, Field(description='Is favorite')]
    isHidden: Annotated[bool, Field(description='Is hidden')]
    name: Annotated[str, Field(description='Person name')]
    ownerId: Annotated[UUID, Field(description='Owner ID')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Updated at', examples=['2024-01-01T00:00:00.000Z']),
    ]


class SyncRequestType(StrEnum):
    AlbumsV1 = 'AlbumsV1'
    AlbumsV2 = 'AlbumsV2'
    AlbumUsersV1 = 'AlbumUsersV1'
    AlbumToAssetsV1 = 'AlbumToAssetsV1'
    AlbumAssetsV1 = 'AlbumAssetsV1'
    AlbumAssetsV2 = 'AlbumAssetsV2'
    AlbumAssetExifsV1 = 'AlbumAssetExifsV1'
    AssetsV1 = 'AssetsV1'
    AssetsV2 = 'AssetsV2'
    AssetExifsV1 = 'AssetExifsV1'
    AssetEditsV1 = 'AssetEditsV1'
    AssetMetadataV1 = 'AssetMetadataV1'
    AssetOcrV1 = 'AssetOcrV1'
    AuthUsersV1 = 'AuthUsersV1'
    MemoriesV1 = 'MemoriesV1'
    MemoryToAssetsV1 = 'MemoryToAssetsV1'
    PartnersV1 = 'PartnersV1'
    PartnerAssetsV1 = 'PartnerAssetsV1'
    PartnerAssetsV2 = 'PartnerAssetsV2'
    PartnerAssetExifsV1 = 'PartnerAssetExifsV1'
    PartnerStacksV1 = 'PartnerStacksV1'
    StacksV1 = 'StacksV1'
    UsersV1 = 'UsersV1'
    PeopleV1 = 'PeopleV1'
    AssetFacesV1 = 'AssetFacesV1'
    AssetFacesV2 = 'AssetFacesV2'
    UserMetadataV1 = 'UserMetadataV1'


class SyncResetV1(DtoBase):
    pass


class SyncStackDeleteV1(DtoBase):
    stackId: Annotated[UUID, Field(description='Stack ID')]


class SyncStackV1(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Created at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    id: Annotated[UUID, Field(description='Stack ID')]
    ownerId: Annotated[UUID, Field(description='Owner ID')]
    primaryAssetId: Annotated[UUID, Field(description='Primary asset ID')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Updated at', examples=['2024-01-01T00:00:00.000Z']),
    ]


class SyncStreamDto(DtoBase):
    reset: Annotated[bool | None, Field(description='Reset sync state')] = None
    types: Annotated[list[SyncRequestType], Field(description='Sync request types')]


class SyncUserDeleteV1(DtoBase):
    userId: Annotated[UUID, Field(description='User ID')]


class SystemConfigBackupsDto(DtoBase):
    database: DatabaseBackupConfig


class SystemConfigFacesDto(DtoBase):
    import_: Annotated[bool, Field(alias='import', description='Import')]


class SystemConfigGeneratedFullsizeImageDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]
    format: ImageFormat
    progressive: Annotated[bool | None, Field(description='Progressive')] = None
    quality: Annotated[int, Field(description='Quality', ge=1, le=100)]


class SystemConfigGeneratedImageDto(DtoBase):
    format: ImageFormat
    progressive: Annotated[bool | None, Field(description='Progressive')] = None
    quality: Annotated[int, Field(description='Quality', ge=1, le=100)]
    size: Annotated[int, Field(description='Size', ge=1, le=9007199254740991)]


class SystemConfigImageDto(DtoBase):
    colorspace: Colorspace
    extractEmbedded: Annotated[bool, Field(description='Extract embedded')]
    fullsize: SystemConfigGeneratedFullsizeImageDto
    preview: SystemConfigGeneratedImageDto
    thumbnail: SystemConfigGeneratedImageDto


class SystemConfigIntegrityChecksumJob(DtoBase):
    cronExpression: Annotated[
        str,
        Field(description='Cron expression for when the integrity check should run'),
    ]
    enabled: Annotated[bool, Field(description='Enabled')]
    percentageLimit: Annotated[
        float,
        Field(
            description='Percentage limit of the integrity checksum job', ge=0.0, le=1.0
        ),
    ]
    timeLimit: Annotated[
        int,
        Field(
            description='How long the integrity checksum job may run for',
            ge=0,
            le=9007199254740991,
        ),
    ]


class SystemConfigIntegrityJob(DtoBase):
    cronExpression: Annotated[
        str,
        Field(description='Cron expression for when the integrity check should run'),
    ]
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigJobDto(DtoBase):
    backgroundTask: JobSettingsDto
    editor: JobSettingsDto
    faceDetection: JobSettingsDto
    integrityCheck: JobSettingsDto
    library: JobSettingsDto
    metadataExtraction: JobSettingsDto
    migration: JobSettingsDto
    notifications: JobSettingsDto
    ocr: JobSettingsDto
    search: JobSettingsDto
    sidecar: JobSettingsDto
    smartSearch: JobSettingsDto
    thumbnailGeneration: JobSettingsDto
    videoConversion: JobSettingsDto
    workflow: JobSettingsDto


class SystemConfigLibraryScanDto(DtoBase):
    cronExpression: Annotated[str, Field(description='Cron expression')]
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigLibraryWatchDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigLoggingDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]
    level: LogLevel


class SystemConfigMachineLearningDto(DtoBase):
    availabilityChecks: MachineLearningAvailabilityChecksDto
    clip: CLIPConfig
    duplicateDetection: DuplicateDetectionConfig
    enabled: Annotated[bool, Field(description='Enabled')]
    facialRecognition: FacialRecognitionConfig
    ocr: OcrConfig
    urls: Annotated[list[str], Field(description='ML service URLs', min_length=1)]


class SystemConfigMapDto(DtoBase):
    darkStyle: Annotated[AnyUrl, Field(description='Dark map style URL')]
    enabled: Annotated[bool, Field(description='Enabled')]
    lightStyle: Annotated[AnyUrl, Field(description='Light map style URL')]


class SystemConfigMetadataDto(DtoBase):
    faces: SystemConfigFacesDto


class SystemConfigNewVersionCheckDto(DtoBase):
    channel: ReleaseChannel
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigNightlyTasksDto(DtoBase):
    clusterNewFaces: Annotated[bool, Field(description='Cluster new faces')]
    databaseCleanup: Annotated[bool, Field(description='Database cleanup')]
    generateMemories: Annotated[bool, Field(description='Generate memories')]
    missingThumbnails: Annotated[bool, Field(description='Missing thumbnails')]
    startTime: Annotated[
        str,
        Field(
            description='Start time (HH:MM)', pattern='^(?:[01]\\d|2[0-3]):[0-5]\\d$'
        ),
    ]
    syncQuotaUsage: Annotated[bool, Field(description='Sync quota usage')]


class SystemConfigOAuthDto(DtoBase):
    allowInsecureRequests: Annotated[bool, Field(description='Allow insecure requests')]
    autoLaunch: Annotated[bool, Field(description='Auto launch')]
    autoRegister: Annotated[bool, Field(description='Auto register')]
    buttonText: Annotated[str, Field(description='Button text')]
    clientId: Annotated[str, Field(description='Client ID')]
    clientSecret: Annotated[str, Field(description='Client secret')]
    defaultStorageQuota: Annotated[
        int | None,
        Field(description='Default storage quota', ge=0, le=9007199254740991),
    ]
    enabled: Annotated[bool, Field(description='Enabled')]
    endSessionEndpoint: Annotated[str, Field(description='End session endpoint')]
    issuerUrl: Annotated[str, Field(description='Issuer URL')]
    mobileOverrideEnabled: Annotated[bool, Field(description='Mobile override enabled')]
    mobileRedirectUri: Annotated[
        str, Field(description='Mobile redirect URI (set to empty string to disable)')
    ]
    profileSigningAlgorithm: Annotated[
        str, Field(description='Profile signing algorithm')
    ]
    prompt: Annotated[
        str,
        Field(
            description='OAuth prompt parameter (e.g. select_account, login, consent)'
        ),
    ]
    roleClaim: Annotated[str, Field(description='Role claim')]
    scope: Annotated[str, Field(description='Scope')]
    signingAlgorithm: Annotated[str, Field(description='Signing algorithm')]
    storageLabelClaim: Annotated[str, Field(description='Storage label claim')]
    storageQuotaClaim: Annotated[str, Field(description='Storage quota claim')]
    timeout: Annotated[int, Field(description='Timeout', ge=1, le=9007199254740991)]
    tokenEndpointAuthMethod: OAuthTokenEndpointAuthMethod


class SystemConfigPasswordLoginDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigReverseGeocodingDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigServerDto(DtoBase):
    externalDomain: Annotated[str, Field(description='External domain')]
    loginPageMessage: Annotated[str, Field(description='Login page message')]
    publicUsers: Annotated[bool, Field(description='Public users')]


class SystemConfigSmtpTransportDto(DtoBase):
    host: Annotated[str, Field(description='SMTP server hostname')]
    ignoreCert: Annotated[
        bool, Field(description='Whether to ignore SSL certificate errors')
    ]
    password: Annotated[str, Field(description='SMTP password')]
    port: Annotated[int, Field(description='SMTP server port', ge=0, le=65535)]
    secure: Annotated[
        bool, Field(description='Whether to use secure connection (TLS/SSL)')
    ]
    username: Annotated[str, Field(description='SMTP username')]


class SystemConfigStorageTemplateDto(DtoBase):
    enabled: Annotated[bool, Field(description='Enabled')]
    hashVerificationEnabled: Annotated[
        bool, Field(description='Hash verification enabled')
    ]
    template: Annotated[str, Field(description='Template')]


class SystemConfigTemplateEmailsDto(DtoBase):
    albumInviteTemplate: Annotated[str, Field(description='Album invite template')]
    albumUpdateTemplate: Annotated[str, Field(description='Album update template')]
    welcomeTemplate: Annotated[str, Field(description='Welcome template')]


class SystemConfigTemplateStorageOptionDto(DtoBase):
    dayOptions: Annotated[
        list[str],
        Field(description='Available day format options for storage template'),
    ]
    hourOptions: Annotated[
        list[str],
        Field(description='Available hour format options for storage template'),
    ]
    minuteOptions: Annotated[
        list[str],
        Field(description='Available minute format options for storage template'),
    ]
    monthOptions: Annotated[
        list[str],
        Field(description='Available month format options for storage template'),
    ]
    presetOptions: Annotated[
        list[str], Field(description='Available preset template options')
    ]
    secondOptions: Annotated[
        list[str],
        Field(description='Available second format options for storage template'),
    ]
    weekOptions: Annotated[
        list[str],
        Field(description='Available week format options for storage template'),
    ]
    yearOptions: Annotated[
        list[str],
        Field(description='Available year format options for storage template'),
    ]


class SystemConfigTemplatesDto(DtoBase):
    email: SystemConfigTemplateEmailsDto


class SystemConfigThemeDto(DtoBase):
    customCss: Annotated[str, Field(description='Custom CSS for theming')]


class SystemConfigTrashDto(DtoBase):
    days: Annotated[int, Field(description='Days', ge=0, le=9007199254740991)]
    enabled: Annotated[bool, Field(description='Enabled')]


class SystemConfigUserDto(DtoBase):
    deleteDelay: Annotated[
        int, Field(description='Delete delay', ge=1, le=9007199254740991)
    ]


class TagBulkAssetsDto(DtoBase):
    assetIds: Annotated[list[AssetId], Field(description='Asset IDs')]
    tagIds: Annotated[list[TagId], Field(description='Tag IDs')]


class TagBulkAssetsResponseDto(DtoBase):
    count: Annotated[
        int,
        Field(
            description='Number of assets tagged',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class TagCreateDto(DtoBase):
    color: Annotated[
        str | None,
        Field(
            description='Tag color (hex)',
            pattern='^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$',
        ),
    ] = None
    name: Annotated[str, Field(description='Tag name')]
    parentId: Annotated[UUID | None, Field(description='Parent tag ID')] = None


class TagResponseDto(DtoBase):
    color: Annotated[str | None, Field(description='Tag color (hex)')] = None
    createdAt: Annotated[AwareDatetime, Field(description='Creation date')]
    id: Annotated[UUID, Field(description='Tag ID')]
    name: Annotated[str, Field(description='Tag name')]
    parentId: Annotated[str | None, Field(description='Parent tag ID')] = None
    updatedAt: Annotated[AwareDatetime, Field(description='Last update date')]
    value: Annotated[str, Field(description='Tag value (full path)')]


class TagUpdateDto(DtoBase):
    color: Annotated[
        str | None,
        Field(
            description='Tag color (hex)',
            pattern='^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$',
        ),
    ] = None


class TagUpsertDto(DtoBase):
    tags: Annotated[list[str], Field(description='Tag names to upsert')]


class TagsResponse(DtoBase):
    enabled: Annotated[bool, Field(description='Whether tags are enabled')]
    sidebarWeb: Annotated[bool, Field(description='Whether tags appear in web sidebar')]


class TagsUpdate(DtoBase):
    enabled: Annotated[bool | None, Field(description='Whether tags are enabled')] = (
        None
    )
    sidebarWeb: Annotated[
        bool | None, Field(description='Whether tags appear in web sidebar')
    ] = None


class TemplateDto(DtoBase):
    template: Annotated[str, Field(description='Template name')]


class TemplateResponseDto(DtoBase):
    html: Annotated[str, Field(description='Template HTML content')]
    name: Annotated[str, Field(description='Template name')]


class TestEmailResponseDto(DtoBase):
    messageId: Annotated[str, Field(description='Email message ID')]


class DurationItem(RootModel[int | None]):
    root: Annotated[int | None, Field(ge=0, le=2147483647)] = None


class StackItem(RootModel[list[str] | None]):
    root: Annotated[list[str] | None, Field(max_length=2, min_length=2)] = None


class TimeBucketAssetResponseDto(DtoBase):
    city: Annotated[
        list[str | None] | None,
        Field(description='Array of city names extracted from EXIF GPS data'),
    ] = None
    country: Annotated[
        list[str | None] | None,
        Field(description='Array of country names extracted from EXIF GPS data'),
    ] = None
    createdAt: Annotated[
        list[str],
        Field(
            description='Array of UTC timestamps when each asset was originally uploaded to Immich'
        ),
    ]
    duration: Annotated[
        list[DurationItem | None],
        Field(
            description='Array of video/gif durations in milliseconds (null for static images)'
        ),
    ]
    fileCreatedAt: Annotated[
        list[str], Field(description='Array of file creation timestamps in UTC')
    ]
    id: Annotated[list[str], Field(description='Array of asset IDs in the time bucket')]
    isFavorite: Annotated[
        list[bool],
        Field(description='Array indicating whether each asset is favorited'),
    ]
    isImage: Annotated[
        list[bool],
        Field(
            description='Array indicating whether each asset is an image (false for videos)'
        ),
    ]
    isTrashed: Annotated[
        list[bool],
        Field(description='Array indicating whether each asset is in the trash'),
    ]
    latitude: Annotated[
        list[float | None] | None,
        Field(description='Array of latitude coordinates extracted from EXIF GPS data'),
    ] = None
    livePhotoVideoId: Annotated[
        list[str | None],
        Field(
            description='Array of live photo video asset IDs (null for non-live photos)'
        ),
    ]
    localOffsetHours: Annotated[
        list[float],
        Field(
            description="Array of UTC offset hours at the time each photo was taken. Positive values are east of UTC, negative values are west of UTC. Values may be fractional (e.g., 5.5 for +05:30, -9.75 for -09:45). Applying this offset to 'fileCreatedAt' will give you the time the photo was taken from the photographer's perspective."
        ),
    ]
    longitude: Annotated[
        list[float | None] | None,
        Field(
            description='Array of longitude coordinates extracted from EXIF GPS data'
        ),
    ] = None
    ownerId: Annotated[
        list[str], Field(description='Array of owner IDs for each asset')
    ]
    projectionType: Annotated[
        list[str | None],
        Field(
            description='Array of projection types for 360° content (e.g., "EQUIRECTANGULAR", "CUBEFACE", "CYLINDRICAL")'
        ),
    ]
    ratio: Annotated[
        list[float],
        Field(description='Array of aspect ratios (width/height) for each asset'),
    ]
    stack: Annotated[
        list[StackItem] | None,
        Field(
            description='Array of stack information as [stackId, assetCount] tuples (null for non-stacked assets)'
        ),
    ] = None
    thumbhash: Annotated[
        list[str | None],
        Field(
            description='Array of BlurHash strings for generating asset previews (base64 encoded)'
        ),
    ]
    visibility: Annotated[
        list[AssetVisibility],
        Field(
            description='Array of visibility statuses for each asset (e.g., ARCHIVE, TIMELINE, HIDDEN, LOCKED)'
        ),
    ]


class TimeBucketsResponseDto(DtoBase):
    count: Annotated[
        int,
        Field(
            description='Number of assets in this time bucket',
            examples=[42],
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    timeBucket: Annotated[
        str,
        Field(
            description='Time bucket identifier in YYYY-MM-DD format representing the start of the time period',
            examples=['2024-01-01'],
        ),
    ]


class ToneMapping(StrEnum):
    hable = 'hable'
    mobius = 'mobius'
    reinhard = 'reinhard'
    disabled = 'disabled'


class TranscodeHWAccel(StrEnum):
    nvenc = 'nvenc'
    qsv = 'qsv'
    vaapi = 'vaapi'
    rkmpp = 'rkmpp'
    disabled = 'disabled'


class TranscodePolicy(StrEnum):
    all = 'all'
    optimal = 'optimal'
    bitrate = 'bitrate'
    required = 'required'
    disabled = 'disabled'


class TrashResponseDto(DtoBase):
    count: Annotated[
        int,
        Field(
            description='Number of items in trash',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class UpdateAlbumDto(DtoBase):
    albumName: Annotated[str | None, Field(description='Album name')] = None
    albumThumbnailAssetId: Annotated[
        UUID | None, Field(description='Album thumbnail asset ID')
    ] = None
    description: Annotated[str | None, Field(description='Album description')] = None
    isActivityEnabled: Annotated[
        bool | None, Field(description='Enable activity feed')
    ] = None
    order: AssetOrder | None = None


class UpdateAlbumUserDto(DtoBase):
    role: AlbumUserRole


class UpdateAssetDto(DtoBase):
    dateTimeOriginal: Annotated[
        str | None, Field(description='Original date and time')
    ] = None
    description: Annotated[str | None, Field(description='Asset description')] = None
    isFavorite: Annotated[bool | None, Field(description='Mark as favorite')] = None
    latitude: Annotated[
        float | None, Field(description='Latitude coordinate', ge=-90.0, le=90.0)
    ] = None
    livePhotoVideoId: Annotated[
        UUID | None, Field(description='Live photo video ID')
    ] = None
    longitude: Annotated[
        float | None, Field(description='Longitude coordinate', ge=-180.0, le=180.0)
    ] = None
    rating: Annotated[
        int | None,
        Field(
            description='Rating in range [1-5] (starred), -1 (rejected), or null (unrated)',
            ge=-1,
            le=5,
        ),
    ] = None
    visibility: AssetVisibility | None = None


class UpdateLibraryDto(DtoBase):
    exclusionPatterns: Annotated[
        list[str] | None,
        Field(description='Exclusion patterns (max 128)', max_length=128),
    ] = None
    importPaths: Annotated[
        list[str] | None, Field(description='Import paths (max 128)', max_length=128)
    ] = None
    name: Annotated[str | None, Field(description='Library name', min_length=1)] = None


class UsageByUserDto(DtoBase):
    photos: Annotated[
        int,
        Field(
            description='Number of photos', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    quotaSizeInBytes: Annotated[
        int | None,
        Field(
            description='User quota size in bytes (null if unlimited)',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usage: Annotated[
        int,
        Field(
            description='Total storage usage in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usagePhotos: Annotated[
        int,
        Field(
            description='Storage usage for photos in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usageVideos: Annotated[
        int,
        Field(
            description='Storage usage for videos in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    userId: Annotated[UUID, Field(description='User ID')]
    userName: Annotated[str, Field(description='User name')]
    videos: Annotated[
        int,
        Field(
            description='Number of videos', ge=-9007199254740991, le=9007199254740991
        ),
    ]


class UserAdminDeleteDto(DtoBase):
    force: Annotated[
        bool | None, Field(description='Force delete even if user has assets')
    ] = None


class UserAvatarColor(StrEnum):
    primary = 'primary'
    pink = 'pink'
    red = 'red'
    yellow = 'yellow'
    blue = 'blue'
    green = 'green'
    purple = 'purple'
    orange = 'orange'
    gray = 'gray'
    amber = 'amber'


class UserLicense(DtoBase):
    activatedAt: Annotated[
        AwareDatetime,
        Field(description='Activation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    activationKey: Annotated[str, Field(description='Activation key')]
    licenseKey: Annotated[
        str,
        Field(
            description='License key (format: /^IM(SV|CL)(-[\\dA-Za-z]{4}){8}$/)',
            pattern='^IM(SV|CL)(-[\\dA-Za-z]{4}){8}$',
        ),
    ]


class UserMetadataKey(StrEnum):
    preferences = 'preferences'
    license = 'license'
    onboarding = 'onboarding'


class UserResponseDto(DtoBase):
    avatarColor: UserAvatarColor
    email: Annotated[
        str,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    id: Annotated[UUID, Field(description='User ID')]
    name: Annotated[str, Field(description='User name')]
    profileChangedAt: Annotated[AwareDatetime, Field(description='Profile change date')]
    profileImagePath: Annotated[str, Field(description='Profile image path')]


class UserStatus(StrEnum):
    active = 'active'
    removing = 'removing'
    deleted = 'deleted'


class UserUpdateMeDto(DtoBase):
    avatarColor: UserAvatarColor | None = None
    email: Annotated[
        str | None,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ] = None
    name: Annotated[str | None, Field(description='User name')] = None
    password: Annotated[
        str | None,
        Field(
            deprecated=True,
            description='User password (deprecated, use change password endpoint)',
        ),
    ] = None


class ValidateAccessTokenResponseDto(DtoBase):
    authStatus: Annotated[bool, Field(description='Authentication status')]


class ValidateLibraryDto(DtoBase):
    exclusionPatterns: Annotated[
        list[str] | None,
        Field(description='Exclusion patterns (max 128)', max_length=128),
    ] = None
    importPaths: Annotated[
        list[str] | None,
        Field(description='Import paths to validate (max 128)', max_length=128),
    ] = None


class ValidateLibraryImportPathResponseDto(DtoBase):
    importPath: Annotated[str, Field(description='Import path')]
    isValid: Annotated[bool, Field(description='Is valid')]
    message: Annotated[str | None, Field(description='Validation message')] = None


class ValidateLibraryResponseDto(DtoBase):
    importPaths: Annotated[
        list[ValidateLibraryImportPathResponseDto] | None,
        Field(description='Validation results for import paths'),
    ] = None


class VersionCheckStateResponseDto(DtoBase):
    checkedAt: Annotated[str | None, Field(description='Last check timestamp')]
    releaseVersion: Annotated[str | None, Field(description='Release version')]


class VideoCodec(StrEnum):
    h264 = 'h264'
    hevc = 'hevc'
    vp9 = 'vp9'
    av1 = 'av1'


class VideoContainer(StrEnum):
    mov = 'mov'
    mp4 = 'mp4'
    ogg = 'ogg'
    webm = 'webm'


class WorkflowShareStepDto(DtoBase):
    config: Annotated[dict[str, Any] | None, Field(description='Step configuration')]
    enabled: Annotated[bool | None, Field(description='Step is enabled')] = None
    method: Annotated[str, Field(description='Step plugin method')]


class WorkflowStepDto(DtoBase):
    config: Annotated[dict[str, Any] | None, Field(description='Step configuration')]
    enabled: Annotated[bool | None, Field(description='Step is enabled')] = None
    method: Annotated[str, Field(description='Step plugin method')]


class WorkflowTrigger(StrEnum):
    AssetCreate = 'AssetCreate'
    AssetMetadataExtraction = 'AssetMetadataExtraction'


class WorkflowType(StrEnum):
    AssetV1 = 'AssetV1'


class WorkflowUpdateDto(DtoBase):
    description: Annotated[str | None, Field(description='Workflow description')] = None
    enabled: Annotated[bool | None, Field(description='Workflow enabled')] = None
    name: Annotated[str | None, Field(description='Workflow name')] = None
    steps: list[WorkflowStepDto] | None = None
    trigger: Annotated[
        WorkflowTrigger | None, Field(description='Workflow trigger type')
    ] = None


class ActivityCreateDto(DtoBase):
    albumId: Annotated[UUID, Field(description='Album ID')]
    assetId: Annotated[
        UUID | None, Field(description='Asset ID (if activity is for an asset)')
    ] = None
    comment: Annotated[
        str | None, Field(description='Comment text (required if type is comment)')
    ] = None
    type: ReactionType


class ActivityResponseDto(DtoBase):
    assetId: Annotated[
        UUID | None, Field(description='Asset ID (if activity is for an asset)')
    ]
    comment: Annotated[
        str | None, Field(description='Comment text (for comment activities)')
    ] = None
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    id: Annotated[UUID, Field(description='Activity ID')]
    type: ReactionType
    user: UserResponseDto


class AlbumUserAddDto(DtoBase):
    role: Annotated[AlbumUserRole, Field(description='Album user role')] = 'editor'
    userId: Annotated[UUID, Field(description='User ID')]


class AlbumUserCreateDto(DtoBase):
    role: AlbumUserRole
    userId: Annotated[UUID, Field(description='User ID')]


class AlbumUserResponseDto(DtoBase):
    role: AlbumUserRole
    user: UserResponseDto


class AlbumsAddAssetsResponseDto(DtoBase):
    error: BulkIdErrorReason | None = None
    success: Annotated[bool, Field(description='Operation success')]


class AlbumsResponse(DtoBase):
    defaultAssetOrder: AssetOrder


class AlbumsUpdate(DtoBase):
    defaultAssetOrder: AssetOrder | None = None


class ApiKeyCreateDto(DtoBase):
    name: Annotated[str | None, Field(description='API key name')] = None
    permissions: Annotated[
        list[Permission], Field(description='List of permissions', min_length=1)
    ]


class ApiKeyResponseDto(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    id: Annotated[UUID, Field(description='API key ID')]
    name: Annotated[str, Field(description='API key name')]
    permissions: Annotated[list[Permission], Field(description='List of permissions')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Last update date', examples=['2024-01-01T00:00:00.000Z']),
    ]


class ApiKeyUpdateDto(DtoBase):
    name: Annotated[str | None, Field(description='API key name')] = None
    permissions: Annotated[
        list[Permission] | None, Field(description='List of permissions', min_length=1)
    ] = None


class AssetBulkUpdateDto(DtoBase):
    dateTimeOriginal: Annotated[
        str | None, Field(description='Original date and time')
    ] = None
    dateTimeRelative: Annotated[
        int | None,
        Field(
            description='Relative time offset in minutes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ] = None
    description: Annotated[str | None, Field(description='Asset description')] = None
    duplicateId: Annotated[str | None, Field(description='Duplicate ID')] = None
    ids: Annotated[list[Id], Field(description='Asset IDs to update')]
    isFavorite: Annotated[bool | None, Field(description='Mark as favorite')] = None
    latitude: Annotated[
        float | None, Field(description='Latitude coordinate', ge=-90.0, le=90.0)
    ] = None
    longitude: Annotated[
        float | None, Field(description='Longitude coordinate', ge=-180.0, le=180.0)
    ] = None
    rating: Annotated[
        int | None,
        Field(
            description='Rating in range [1-5] (starred), -1 (rejected), or null (unrated)',
            ge=-1,
            le=5,
        ),
    ] = None
    timeZone: Annotated[str | None, Field(description='Time zone (IANA timezone)')] = (
        None
    )
    visibility: AssetVisibility | None = None


class AssetBulkUploadCheckDto(DtoBase):
    assets: Annotated[
        list[AssetBulkUploadCheckItem], Field(description='Assets to check')
    ]


class AssetBulkUploadCheckResult(DtoBase):
    action: AssetUploadAction
    assetId: Annotated[
        UUID | None, Field(description='Existing asset ID if duplicate')
    ] = None
    id: Annotated[
        str,
        Field(
            description='Client-side identifier echoed from the request to match results to inputs'
        ),
    ]
    isTrashed: Annotated[
        bool | None, Field(description='Whether existing asset is trashed')
    ] = None
    reason: AssetRejectReason | None = None


class AssetEditActionItemDto(DtoBase):
    action: AssetEditAction
    parameters: Annotated[
        CropParameters | RotateParameters | MirrorParameters,
        Field(description='List of edit actions to apply (crop, rotate, or mirror)'),
    ]


class AssetEditActionItemResponseDto(DtoBase):
    action: AssetEditAction
    id: Annotated[UUID, Field(description='Asset edit ID')]
    parameters: Annotated[
        CropParameters | RotateParameters | MirrorParameters,
        Field(description='List of edit actions to apply (crop, rotate, or mirror)'),
    ]


class AssetEditsCreateDto(DtoBase):
    edits: Annotated[
        list[AssetEditActionItemDto],
        Field(
            description='List of edit actions to apply (crop, rotate, or mirror)',
            min_length=1,
        ),
    ]


class AssetEditsResponseDto(DtoBase):
    assetId: Annotated[UUID, Field(description='Asset ID these edits belong to')]
    edits: Annotated[
        list[AssetEditActionItemResponseDto],
        Field(description='List of edit actions applied to the asset'),
    ]


class AssetFaceResponseDto(DtoBase):
    boundingBoxX1: Annotated[
        int,
        Field(
            description='Bounding box X1 coordinate',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    boundingBoxX2: Annotated[
        int,
        Field(
            description='Bounding box X2 coordinate',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    boundingBoxY1: Annotated[
        int,
        Field(
            description='Bounding box Y1 coordinate',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    boundingBoxY2: Annotated[
        int,
        Field(
            description='Bounding box Y2 coordinate',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    id: Annotated[UUID, Field(description='Face ID')]
    imageHeight: Annotated[
        int, Field(description='Image height in pixels', ge=0, le=9007199254740991)
    ]
    imageWidth: Annotated[
        int, Field(description='Image width in pixels', ge=0, le=9007199254740991)
    ]
    person: Annotated[PersonResponseDto | None, Field(...)]
    sourceType: SourceType | None = None


class AssetFaceUpdateDto(DtoBase):
    data: Annotated[list[AssetFaceUpdateItem], Field(description='Face update items')]


class AssetMediaCreateDto(DtoBase):
    assetData: Annotated[bytes, Field(description='Asset file data')]
    duration: Annotated[
        int | None,
        Field(
            description='Duration in milliseconds (for videos)',
            ge=0,
            le=9007199254740991,
        ),
    ] = None
    fileCreatedAt: Annotated[
        AwareDatetime,
        Field(description='File creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    fileModifiedAt: Annotated[
        AwareDatetime,
        Field(
            description='File modification date', examples=['2024-01-01T00:00:00.000Z']
        ),
    ]
    filename: Annotated[str | None, Field(description='Filename')] = None
    isFavorite: Annotated[bool | None, Field(description='Mark as favorite')] = None
    livePhotoVideoId: Annotated[
        UUID | None, Field(description='Live photo video ID')
    ] = None
    metadata: Annotated[
        list[AssetMetadataUpsertItemDto] | None,
        Field(description='Asset metadata items'),
    ] = None
    sidecarData: Annotated[bytes | None, Field(description='Sidecar file data')] = None
    visibility: AssetVisibility | None = None


class AssetMediaResponseDto(DtoBase):
    id: Annotated[UUID, Field(description='Asset media ID')]
    status: AssetMediaStatus


class AssetMetadataBulkDeleteDto(DtoBase):
    items: Annotated[
        list[AssetMetadataBulkDeleteItemDto],
        Field(description='Metadata items to delete'),
    ]


class AssetMetadataBulkUpsertDto(DtoBase):
    items: Annotated[
        list[AssetMetadataBulkUpsertItemDto],
        Field(description='Metadata items to upsert'),
    ]


class AssetMetadataUpsertDto(DtoBase):
    items: Annotated[
        list[AssetMetadataUpsertItemDto], Field(description='Metadata items to upsert')
    ]


class AssetResponseDto(DtoBase):
    checksum: Annotated[str, Field(description='Base64 encoded SHA1 hash')]
    createdAt: Annotated[
        AwareDatetime,
        Field(
            description='The UTC timestamp when the asset was originally uploaded to Immich.'
        ),
    ]
    duplicateId: Annotated[UUID | None, Field(description='Duplicate group ID')] = None
    duration: Annotated[
        int | None,
        Field(
            description='Video/gif duration in milliseconds (null for static images)',
            ge=0,
            le=2147483647,
        ),
    ]
    exifInfo: ExifResponseDto | None = None
    fileCreatedAt: Annotated[
        AwareDatetime,
        Field(
            description='The actual UTC timestamp when the file was created/captured, preserving timezone information. This is the authoritative timestamp for chronological sorting within timeline groups. Combined with timezone data, this can be used to determine the exact moment the photo was taken.'
        ),
    ]
    fileModifiedAt: Annotated[
        AwareDatetime,
        Field(
            description='The UTC timestamp when the file was last modified on the filesystem. This reflects the last time the physical file was changed, which may be different from when the photo was originally taken.'
        ),
    ]
    hasMetadata: Annotated[bool, Field(description='Whether asset has metadata')]
    height: Annotated[
        int | None, Field(description='Asset height', ge=0, le=9007199254740991)
    ]
    id: Annotated[UUID, Field(description='Asset ID')]
    isArchived: Annotated[bool, Field(description='Is archived')]
    isEdited: Annotated[bool, Field(description='Is edited')]
    isFavorite: Annotated[bool, Field(description='Is favorite')]
    isOffline: Annotated[bool, Field(description='Is offline')]
    isTrashed: Annotated[bool, Field(description='Is trashed')]
    libraryId: Annotated[UUID | None, Field(description='Library ID')] = None
    livePhotoVideoId: Annotated[
        str | None, Field(description='Live photo video ID')
    ] = None
    localDateTime: Annotated[
        AwareDatetime,
        Field(
            description='The local date and time when the photo/video was taken, derived from EXIF metadata. This represents the photographer\'s local time regardless of timezone, stored as a timezone-agnostic timestamp. Used for timeline grouping by "local" days and months.'
        ),
    ]
    originalFileName: Annotated[str, Field(description='Original file name')]
    originalMimeType: Annotated[str | None, Field(description='Original MIME type')] = (
        None
    )
    originalPath: Annotated[str, Field(description='Original file path')]
    owner: UserResponseDto | None = None
    ownerId: Annotated[UUID, Field(description='Owner user ID')]
    people: list[PersonResponseDto] | None = None
    resized: Annotated[bool | None, Field(description='Is resized')] = None
    stack: AssetStackResponseDto | None = None
    tags: list[TagResponseDto] | None = None
    thumbhash: Annotated[
        str | None,
        Field(
            description='Thumbhash for thumbnail generation (base64) also used as the c query param for thumbnail cache busting.'
        ),
    ]
    type: AssetTypeEnum
    updatedAt: Annotated[
        AwareDatetime,
        Field(
            description='The UTC timestamp when the asset record was last updated in the database. This is automatically maintained by the database and reflects when any field in the asset was last modified.'
        ),
    ]
    visibility: AssetVisibility
    width: Annotated[
        int | None, Field(description='Asset width', ge=0, le=9007199254740991)
    ]


class AvatarUpdate(DtoBase):
    color: UserAvatarColor | None = None


class CreateAlbumDto(DtoBase):
    albumName: Annotated[str, Field(description='Album name')]
    albumUsers: Annotated[
        list[AlbumUserCreateDto] | None, Field(description='Album users')
    ] = None
    assetIds: Annotated[
        list[AssetId] | None, Field(description='Initial asset IDs')
    ] = None
    description: Annotated[str | None, Field(description='Album description')] = None


class DuplicateResolveDto(DtoBase):
    groups: Annotated[
        list[DuplicateResolveGroupDto],
        Field(description='List of duplicate groups to resolve', min_length=1),
    ]


class DuplicateResponseDto(DtoBase):
    assets: Annotated[list[AssetResponseDto], Field(description='Duplicate assets')]
    duplicateId: Annotated[UUID, Field(description='Duplicate group ID')]
    suggestedKeepAssetIds: Annotated[
        list[SuggestedKeepAssetId],
        Field(
            description='Suggested asset IDs to keep based on file size and EXIF data'
        ),
    ]


class JobCreateDto(DtoBase):
    name: ManualJobName


class LicenseResponseDto(RootModel[UserLicense]):
    root: UserLicense


class MaintenanceDetectInstallStorageFolderDto(DtoBase):
    files: Annotated[
        int,
        Field(
            description='Number of files in the folder',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    folder: StorageFolder
    readable: Annotated[bool, Field(description='Whether the folder is readable')]
    writable: Annotated[bool, Field(description='Whether the folder is writable')]


class MemoryCreateDto(DtoBase):
    assetIds: Annotated[
        list[AssetId] | None, Field(description='Asset IDs to associate with memory')
    ] = None
    data: OnThisDayDto
    hideAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory should be hidden',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    isSaved: Annotated[bool | None, Field(description='Is memory saved')] = None
    memoryAt: Annotated[
        AwareDatetime,
        Field(description='Memory date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    seenAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory was seen',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    showAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory should be shown',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    type: MemoryType


class MemoryResponseDto(DtoBase):
    assets: list[AssetResponseDto]
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    data: OnThisDayDto
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='Deletion date', examples=['2024-01-01T00:00:00.000Z']),
    ] = None
    hideAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory should be hidden',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    id: Annotated[UUID, Field(description='Memory ID')]
    isSaved: Annotated[bool, Field(description='Is memory saved')]
    memoryAt: Annotated[
        AwareDatetime,
        Field(description='Memory date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    ownerId: Annotated[UUID, Field(description='Owner user ID')]
    seenAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory was seen',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    showAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when memory should be shown',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    type: MemoryType
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Last update date', examples=['2024-01-01T00:00:00.000Z']),
    ]


class NotificationCreateDto(DtoBase):
    data: Annotated[
        dict[str, Any] | None, Field(description='Additional notification data')
    ] = None
    description: Annotated[
        str | None, Field(description='Notification description')
    ] = None
    level: NotificationLevel | None = None
    readAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when notification was read',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    title: Annotated[str, Field(description='Notification title')]
    type: NotificationType | None = None
    userId: Annotated[UUID, Field(description='User ID to send notification to')]


class NotificationDto(DtoBase):
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    data: Annotated[
        dict[str, Any] | None, Field(description='Additional notification data')
    ] = None
    description: Annotated[
        str | None, Field(description='Notification description')
    ] = None
    id: Annotated[UUID, Field(description='Notification ID')]
    level: NotificationLevel
    readAt: Annotated[
        AwareDatetime | None,
        Field(
            description='Date when notification was read',
            examples=['2024-01-01T00:00:00.000Z'],
        ),
    ] = None
    title: Annotated[str, Field(description='Notification title')]
    type: NotificationType


class PartnerResponseDto(DtoBase):
    avatarColor: UserAvatarColor
    email: Annotated[
        str,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    id: Annotated[UUID, Field(description='User ID')]
    inTimeline: Annotated[bool | None, Field(description='Show in timeline')] = None
    name: Annotated[str, Field(description='User name')]
    profileChangedAt: Annotated[AwareDatetime, Field(description='Profile change date')]
    profileImagePath: Annotated[str, Field(description='Profile image path')]


class PeopleResponseDto(DtoBase):
    hasNextPage: Annotated[
        bool | None, Field(description='Whether there are more pages')
    ] = None
    hidden: Annotated[
        int, Field(description='Number of hidden people', ge=0, le=9007199254740991)
    ]
    people: list[PersonResponseDto]
    total: Annotated[
        int, Field(description='Total number of people', ge=0, le=9007199254740991)
    ]


class PeopleUpdateDto(DtoBase):
    people: Annotated[list[PeopleUpdateItem], Field(description='People to update')]


class PluginMethodResponseDto(DtoBase):
    description: Annotated[str, Field(description='Description')]
    hostFunctions: bool
    key: Annotated[str, Field(description='Key')]
    name: Annotated[str, Field(description='Name')]
    schema_: Annotated[dict[str, Any] | None, Field(alias='schema')] = None
    title: Annotated[str, Field(description='Title')]
    types: Annotated[list[WorkflowType], Field(description='Workflow types')]
    uiHints: Annotated[list[str], Field(description='Ui hints')]


class PluginResponseDto(DtoBase):
    author: Annotated[str, Field(description='Plugin author')]
    createdAt: Annotated[str, Field(description='Creation date')]
    description: Annotated[str, Field(description='Plugin description')]
    id: Annotated[UUID, Field(description='Plugin ID')]
    methods: Annotated[
        list[PluginMethodResponseDto], Field(description='Plugin methods')
    ]
    name: Annotated[str, Field(description='Plugin name')]
    title: Annotated[str, Field(description='Plugin title')]
    updatedAt: Annotated[str, Field(description='Last update date')]
    version: Annotated[str, Field(description='Plugin version')]


class PluginTemplateResponseDto(DtoBase):
    description: Annotated[str, Field(description='Template description')]
    key: Annotated[str, Field(description='Template key (unique across all templates)')]
    steps: Annotated[
        list[PluginTemplateStepResponseDto], Field(description='Workflow steps')
    ]
    title: Annotated[str, Field(description='Template title')]
    trigger: Annotated[WorkflowTrigger, Field(description='Workflow trigger')]
    uiHints: Annotated[
        list[str], Field(description='Ui hints, for example "smart-album"')
    ]


class QueueResponseDto(DtoBase):
    isPaused: Annotated[bool, Field(description='Whether the queue is paused')]
    name: QueueName
    statistics: QueueStatisticsDto


class QueueResponseLegacyDto(DtoBase):
    jobCounts: QueueStatisticsDto
    queueStatus: QueueStatusLegacyDto


class QueuesResponseLegacyDto(DtoBase):
    backgroundTask: QueueResponseLegacyDto
    backupDatabase: QueueResponseLegacyDto
    duplicateDetection: QueueResponseLegacyDto
    editor: QueueResponseLegacyDto
    faceDetection: QueueResponseLegacyDto
    facialRecognition: QueueResponseLegacyDto
    integrityCheck: QueueResponseLegacyDto
    library: QueueResponseLegacyDto
    metadataExtraction: QueueResponseLegacyDto
    migration: QueueResponseLegacyDto
    notifications: QueueResponseLegacyDto
    ocr: QueueResponseLegacyDto
    search: QueueResponseLegacyDto
    sidecar: QueueResponseLegacyDto
    smartSearch: QueueResponseLegacyDto
    storageTemplateMigration: QueueResponseLegacyDto
    thumbnailGeneration: QueueResponseLegacyDto
    videoConversion: QueueResponseLegacyDto
    workflow: QueueResponseLegacyDto


class ReleaseEventV1(DtoBase):
    checkedAt: Annotated[
        str,
        Field(
            description='When the server last checked for a latest version. As an ISO timestamp'
        ),
    ]
    isAvailable: Annotated[
        bool, Field(description='Whether a new version is available')
    ]
    releaseVersion: ServerVersionResponseDto
    serverVersion: ServerVersionResponseDto
    type: Annotated[ReleaseType | None, Field(description='Release type')]


class SearchAssetResponseDto(DtoBase):
    count: Annotated[
        int,
        Field(description='Number of assets in this page', ge=0, le=9007199254740991),
    ]
    facets: list[SearchFacetResponseDto]
    items: list[AssetResponseDto]
    nextPage: Annotated[str | None, Field(description='Next page token')]
    total: Annotated[
        int,
        Field(description='Total number of matching assets', ge=0, le=9007199254740991),
    ]


class SearchExploreItem(DtoBase):
    data: AssetResponseDto
    value: Annotated[str, Field(description='Explore value')]


class SearchExploreResponseDto(DtoBase):
    fieldName: Annotated[str, Field(description='Explore field name')]
    items: list[SearchExploreItem]


class ServerStatsResponseDto(DtoBase):
    photos: Annotated[
        int,
        Field(
            description='Total number of photos',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usage: Annotated[
        int,
        Field(
            description='Total storage usage in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usageByUser: Annotated[
        list[UsageByUserDto], Field(description='Array of usage for each user')
    ]
    usagePhotos: Annotated[
        int,
        Field(
            description='Storage usage for photos in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    usageVideos: Annotated[
        int,
        Field(
            description='Storage usage for videos in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    videos: Annotated[
        int,
        Field(
            description='Total number of videos',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]


class SharedLinkCreateDto(DtoBase):
    albumId: Annotated[
        UUID | None, Field(description='Album ID (for album sharing)')
    ] = None
    allowDownload: Annotated[bool, Field(description='Allow downloads')] = True
    allowUpload: Annotated[bool | None, Field(description='Allow uploads')] = None
    assetIds: Annotated[
        list[AssetId] | None, Field(description='Asset IDs (for individual assets)')
    ] = None
    description: Annotated[str | None, Field(description='Link description')] = None
    expiresAt: Annotated[
        AwareDatetime | None,
        Field(description='Expiration date', examples=['2024-01-01T00:00:00.000Z']),
    ] = None
    password: Annotated[str | None, Field(description='Link password')] = None
    showMetadata: Annotated[bool, Field(description='Show metadata')] = True
    slug: Annotated[str | None, Field(description='Custom URL slug')] = None
    type: SharedLinkType


class StackResponseDto(DtoBase):
    assets: list[AssetResponseDto]
    id: Annotated[UUID, Field(description='Stack ID')]
    primaryAssetId: Annotated[UUID, Field(description='Primary asset ID')]


class SyncAckDeleteDto(DtoBase):
    types: Annotated[
        list[SyncEntityType] | None,
        Field(description='Sync entity types to delete acks for'),
    ] = None


class SyncAckDto(DtoBase):
    ack: Annotated[str, Field(description='Acknowledgment ID')]
    type: SyncEntityType


class SyncAuthUserV1(DtoBase):
    avatarColor: UserAvatarColor | None = None
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='User deleted at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    email: Annotated[str, Field(description='User email')]
    hasProfileImage: Annotated[bool, Field(description='User has profile image')]
    id: Annotated[UUID, Field(description='User ID')]
    isAdmin: Annotated[bool, Field(description='User is admin')]
    name: Annotated[str, Field(description='User name')]
    oauthId: Annotated[str, Field(description='User OAuth ID')]
    pinCode: Annotated[str | None, Field(description='User pin code')]
    profileChangedAt: Annotated[
        AwareDatetime,
        Field(
            description='User profile changed at', examples=['2024-01-01T00:00:00.000Z']
        ),
    ]
    quotaSizeInBytes: Annotated[
        int | None,
        Field(
            description='Quota size in bytes', ge=-9007199254740991, le=9007199254740991
        ),
    ]
    quotaUsageInBytes: Annotated[
        int,
        Field(
            description='Quota usage in bytes',
            ge=-9007199254740991,
            le=9007199254740991,
        ),
    ]
    storageLabel: Annotated[str | None, Field(description='User storage label')]


class SyncUserMetadataDeleteV1(DtoBase):
    key: UserMetadataKey
    userId: Annotated[UUID, Field(description='User ID')]


class SyncUserMetadataV1(DtoBase):
    key: UserMetadataKey
    userId: Annotated[UUID, Field(description='User ID')]
    value: Annotated[dict[str, Any], Field(description='User metadata value')]


class SyncUserV1(DtoBase):
    avatarColor: UserAvatarColor | None = None
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='User deleted at', examples=['2024-01-01T00:00:00.000Z']),
    ]
    email: Annotated[str, Field(description='User email')]
    hasProfileImage: Annotated[bool, Field(description='User has profile image')]
    id: Annotated[UUID, Field(description='User ID')]
    name: Annotated[str, Field(description='User name')]
    profileChangedAt: Annotated[
        AwareDatetime,
        Field(
            description='User profile changed at', examples=['2024-01-01T00:00:00.000Z']
        ),
    ]


class SystemConfigFFmpegRealtimeDto(DtoBase):
    enabled: Annotated[
        bool, Field(description='Enable real-time HLS transcoding (alpha)')
    ]
    resolutions: Annotated[
        list[HlsVideoResolution],
        Field(description='Resolutions to use for real-time HLS transcoding'),
    ]
    videoCodecs: Annotated[
        list[VideoCodec],
        Field(description='Video codecs to use for real-time HLS transcoding'),
    ]


class SystemConfigIntegrityChecks(DtoBase):
    checksumFiles: SystemConfigIntegrityChecksumJob
    missingFiles: SystemConfigIntegrityJob
    untrackedFiles: SystemConfigIntegrityJob


class SystemConfigLibraryDto(DtoBase):
    scan: SystemConfigLibraryScanDto
    watch: SystemConfigLibraryWatchDto


class SystemConfigSmtpDto(DtoBase):
    enabled: Annotated[
        bool, Field(description='Whether SMTP email notifications are enabled')
    ]
    from_: Annotated[str, Field(alias='from', description='Email address to send from')]
    replyTo: Annotated[str, Field(description='Email address for replies')]
    transport: SystemConfigSmtpTransportDto


class UserAdminCreateDto(DtoBase):
    avatarColor: UserAvatarColor | None = None
    email: Annotated[
        str,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    isAdmin: Annotated[bool | None, Field(description='Grant admin privileges')] = None
    name: Annotated[str, Field(description='User name')]
    notify: Annotated[bool | None, Field(description='Send notification email')] = None
    password: Annotated[str, Field(description='User password')]
    pinCode: Annotated[
        str | None,
        Field(description='PIN code', examples=['123456'], pattern='^\\d{6}$'),
    ] = None
    quotaSizeInBytes: Annotated[
        int | None,
        Field(description='Storage quota in bytes', ge=0, le=9007199254740991),
    ] = None
    shouldChangePassword: Annotated[
        bool | None, Field(description='Require password change on next login')
    ] = None
    storageLabel: Annotated[str | None, Field(description='Storage label')] = None


class UserAdminResponseDto(DtoBase):
    avatarColor: UserAvatarColor
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    deletedAt: Annotated[
        AwareDatetime | None,
        Field(description='Deletion date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    email: Annotated[
        str,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ]
    id: Annotated[UUID, Field(description='User ID')]
    isAdmin: Annotated[bool, Field(description='Is admin user')]
    license: Annotated[UserLicense | None, Field(...)]
    name: Annotated[str, Field(description='User name')]
    oauthId: Annotated[str, Field(description='OAuth ID')]
    profileChangedAt: Annotated[AwareDatetime, Field(description='Profile change date')]
    profileImagePath: Annotated[str, Field(description='Profile image path')]
    quotaSizeInBytes: Annotated[
        int | None,
        Field(description='Storage quota in bytes', ge=0, le=9007199254740991),
    ]
    quotaUsageInBytes: Annotated[
        int | None,
        Field(description='Storage usage in bytes', ge=0, le=9007199254740991),
    ]
    shouldChangePassword: Annotated[
        bool, Field(description='Require password change on next login')
    ]
    status: UserStatus
    storageLabel: Annotated[str | None, Field(description='Storage label')]
    updatedAt: Annotated[
        AwareDatetime,
        Field(description='Last update date', examples=['2024-01-01T00:00:00.000Z']),
    ]


class UserAdminUpdateDto(DtoBase):
    avatarColor: UserAvatarColor | None = None
    email: Annotated[
        str | None,
        Field(
            description='User email',
            pattern="^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    ] = None
    isAdmin: Annotated[bool | None, Field(description='Grant admin privileges')] = None
    name: Annotated[str | None, Field(description='User name')] = None
    password: Annotated[str | None, Field(description='User password')] = None
    pinCode: Annotated[
        str | None,
        Field(description='PIN code', examples=['123456'], pattern='^\\d{6}$'),
    ] = None
    quotaSizeInBytes: Annotated[
        int | None,
        Field(description='Storage quota in bytes', ge=0, le=9007199254740991),
    ] = None
    shouldChangePassword: Annotated[
        bool | None, Field(description='Require password change on next login')
    ] = None
    storageLabel: Annotated[str | None, Field(description='Storage label')] = None


class UserPreferencesResponseDto(DtoBase):
    albums: AlbumsResponse
    cast: CastResponse
    download: DownloadResponse
    emailNotifications: EmailNotificationsResponse
    folders: FoldersResponse
    memories: MemoriesResponse
    people: PeopleResponse
    purchase: PurchaseResponse
    ratings: RatingsResponse
    recentlyAdded: RecentlyAddedResponse
    sharedLinks: SharedLinksResponse
    tags: TagsResponse


class UserPreferencesUpdateDto(DtoBase):
    albums: AlbumsUpdate | None = None
    avatar: AvatarUpdate | None = None
    cast: CastUpdate | None = None
    download: DownloadUpdate | None = None
    emailNotifications: EmailNotificationsUpdate | None = None
    folders: FoldersUpdate | None = None
    memories: MemoriesUpdate | None = None
    people: PeopleUpdate | None = None
    purchase: PurchaseUpdate | None = None
    ratings: RatingsUpdate | None = None
    recentlyAdded: RecentlyAddedUpdate | None = None
    sharedLinks: SharedLinksUpdate | None = None
    tags: TagsUpdate | None = None


class WorkflowCreateDto(DtoBase):
    description: Annotated[str | None, Field(description='Workflow description')] = None
    enabled: Annotated[bool | None, Field(description='Workflow enabled')] = None
    name: Annotated[str | None, Field(description='Workflow name')] = None
    steps: list[WorkflowStepDto] | None = None
    trigger: Annotated[WorkflowTrigger, Field(description='Workflow trigger type')]


class WorkflowResponseDto(DtoBase):
    createdAt: Annotated[str, Field(description='Creation date')]
    description: Annotated[str | None, Field(description='Workflow description')]
    enabled: Annotated[bool, Field(description='Workflow enabled')]
    id: Annotated[UUID, Field(description='Workflow ID')]
    name: Annotated[str | None, Field(description='Workflow name')]
    steps: Annotated[list[WorkflowStepDto], Field(description='Workflow steps')]
    trigger: Annotated[WorkflowTrigger, Field(description='Workflow trigger type')]
    updatedAt: Annotated[str, Field(description='Update date')]


class WorkflowShareResponseDto(DtoBase):
    description: Annotated[str | None, Field(description='Workflow description')]
    name: Annotated[str | None, Field(description='Workflow name')]
    steps: Annotated[list[WorkflowShareStepDto], Field(description='Workflow steps')]
    trigger: Annotated[WorkflowTrigger, Field(description='Workflow trigger type')]


class WorkflowTriggerResponseDto(DtoBase):
    trigger: Annotated[WorkflowTrigger, Field(description='Trigger type')]
    types: Annotated[list[WorkflowType], Field(description='Workflow types')]


class AddUsersDto(DtoBase):
    albumUsers: Annotated[
        list[AlbumUserAddDto], Field(description='Album users to add', min_length=1)
    ]


class AlbumResponseDto(DtoBase):
    albumName: Annotated[str, Field(description='Album name')]
    albumThumbnailAssetId: Annotated[
        UUID | None, Field(description='Thumbnail asset ID')
    ]
    albumUsers: Annotated[
        list[AlbumUserResponseDto],
        Field(
            description='First entry is always the album owner. Second entry is the auth user, if it differs from the owner. The rest are ordered alphabetically.',
            min_length=1,
        ),
    ]
    assetCount: Annotated[
        int, Field(description='Number of assets', ge=0, le=9007199254740991)
    ]
    contributorCounts: list[ContributorCountResponseDto] | None = None
    createdAt: Annotated[AwareDatetime, Field(description='Creation date')]
    description: Annotated[str, Field(description='Album description')]
    endDate: Annotated[
        AwareDatetime | None, Field(description='End date (latest asset)')
    ] = None
    hasSharedLink: Annotated[bool, Field(description='Has shared link')]
    id: Annotated[UUID, Field(description='Album ID')]
    isActivityEnabled: Annotated[bool, Field(description='Activity feed enabled')]
    lastModifiedAssetTimestamp: Annotated[
        AwareDatetime | None, Field(description='Last modified asset timestamp')
    ] = None
    order: AssetOrder | None = None
    shared: Annotated[bool, Field(description='Is shared album')]
    startDate: Annotated[
        AwareDatetime | None, Field(description='Start date (earliest asset)')
    ] = None
    updatedAt: Annotated[AwareDatetime, Field(description='Last update date')]


class ApiKeyCreateResponseDto(DtoBase):
    apiKey: ApiKeyResponseDto
    secret: Annotated[str, Field(description='API key secret (only shown once)')]


class AssetBulkUploadCheckResponseDto(DtoBase):
    results: Annotated[
        list[AssetBulkUploadCheckResult], Field(description='Upload check results')
    ]


class MaintenanceDetectInstallResponseDto(DtoBase):
    storage: list[MaintenanceDetectInstallStorageFolderDto]


class SearchAlbumResponseDto(DtoBase):
    count: Annotated[
        int,
        Field(description='Number of albums in this page', ge=0, le=9007199254740991),
    ]
    facets: list[SearchFacetResponseDto]
    items: list[AlbumResponseDto]
    total: Annotated[
        int,
        Field(description='Total number of matching albums', ge=0, le=9007199254740991),
    ]


class SearchResponseDto(DtoBase):
    albums: SearchAlbumResponseDto
    assets: SearchAssetResponseDto


class SharedLinkResponseDto(DtoBase):
    album: AlbumResponseDto | None = None
    allowDownload: Annotated[bool, Field(description='Allow downloads')]
    allowUpload: Annotated[bool, Field(description='Allow uploads')]
    assets: list[AssetResponseDto]
    createdAt: Annotated[
        AwareDatetime,
        Field(description='Creation date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    description: Annotated[str | None, Field(description='Link description')]
    expiresAt: Annotated[
        AwareDatetime | None,
        Field(description='Expiration date', examples=['2024-01-01T00:00:00.000Z']),
    ]
    id: Annotated[UUID, Field(description='Shared link ID')]
    key: Annotated[str, Field(description='Encryption key (base64url)')]
    password: Annotated[str | None, Field(description='Has password')]
    showMetadata: Annotated[bool, Field(description='Show metadata')]
    slug: Annotated[str | None, Field(description='Custom URL slug')]
    type: SharedLinkType
    userId: Annotated[UUID, Field(description='Owner user ID')]


class SystemConfigFFmpegDto(DtoBase):
    accel: TranscodeHWAccel
    accelDecode: Annotated[bool, Field(description='Accelerated decode')]
    acceptedAudioCodecs: Annotated[
        list[AudioCodec], Field(description='Accepted audio codecs')
    ]
    acceptedContainers: Annotated[
        list[VideoContainer], Field(description='Accepted containers')
    ]
    acceptedVideoCodecs: Annotated[
        list[VideoCodec], Field(description='Accepted video codecs')
    ]
    bframes: Annotated[int, Field(description='B-frames', ge=-1, le=16)]
    cqMode: CQMode
    crf: Annotated[int, Field(description='CRF', ge=0, le=51)]
    gopSize: Annotated[int, Field(description='GOP size', ge=0, le=9007199254740991)]
    maxBitrate: Annotated[str, Field(description='Max bitrate')]
    preferredHwDevice: Annotated[str, Field(description='Preferred hardware device')]
    preset: Annotated[str, Field(description='Preset')]
    realtime: SystemConfigFFmpegRealtimeDto
    refs: Annotated[int, Field(description='References', ge=0, le=6)]
    targetAudioCodec: AudioCodec
    targetResolution: Annotated[str, Field(description='Target resolution')]
    targetVideoCodec: VideoCodec
    temporalAQ: Annotated[bool, Field(description='Temporal AQ')]
    threads: Annotated[int, Field(description='Threads', ge=0, le=9007199254740991)]
    tonemap: ToneMapping
    transcode: TranscodePolicy
    twoPass: Annotated[bool, Field(description='Two pass')]


class SystemConfigNotificationsDto(DtoBase):
    smtp: SystemConfigSmtpDto


class SystemConfigDto(DtoBase):
    backup: SystemConfigBackupsDto
    ffmpeg: SystemConfigFFmpegDto
    image: SystemConfigImageDto
    integrityChecks: SystemConfigIntegrityChecks
    job: SystemConfigJobDto
    library: SystemConfigLibraryDto
    logging: SystemConfigLoggingDto
    machineLearning: SystemConfigMachineLearningDto
    map: SystemConfigMapDto
    metadata: SystemConfigMetadataDto
    newVersionCheck: SystemConfigNewVersionCheckDto
    nightlyTasks: SystemConfigNightlyTasksDto
    notifications: SystemConfigNotificationsDto
    oauth: SystemConfigOAuthDto
    passwordLogin: SystemConfigPasswordLoginDto
    reverseGeocoding: SystemConfigReverseGeocodingDto
    server: SystemConfigServerDto
    storageTemplate: SystemConfigStorageTemplateDto
    templates: SystemConfigTemplatesDto
    theme: SystemConfigThemeDto
    trash: SystemConfigTrashDto
    user: SystemConfigUserDto

"""Grouping is one pure function: realistic library and exporter layouts, each map in the right
material with the right role, deterministic, explained."""

from __future__ import annotations

import random

import pytest

from server_api.imaging.map_names import read_name
from server_api.workflows.grouping import group_files


def layout(groups) -> dict[str, dict[str, str]]:
    """{material name: {file name: role[/convention]}}."""
    return {
        g.name: {
            m.original_path.rsplit("/", 1)[-1]: m.role
            + (f"/{m.normal_convention}" if m.normal_convention else "")
            for m in g.maps
        }
        for g in groups
    }


LIBRARIES = {
    "ambientCG": (
        [
            "Bricks076C_2K-PNG_Color.png",
            "Bricks076C_2K-PNG_NormalGL.png",
            "Bricks076C_2K-PNG_NormalDX.png",
            "Bricks076C_2K-PNG_Roughness.png",
            "Bricks076C_2K-PNG_AmbientOcclusion.png",
            "Bricks076C_2K-PNG_Displacement.png",
            "Bricks076C.png",
        ],
        {
            "Bricks076C": {
                "Bricks076C_2K-PNG_Color.png": "base_color",
                "Bricks076C_2K-PNG_NormalGL.png": "normal/opengl",
                "Bricks076C_2K-PNG_NormalDX.png": "normal/directx",
                "Bricks076C_2K-PNG_Roughness.png": "roughness",
                "Bricks076C_2K-PNG_AmbientOcclusion.png": "ambient_occlusion",
                "Bricks076C_2K-PNG_Displacement.png": "height",
            }
        },
    ),
    "Poly Haven": (
        [
            "brick_wall_001_diff_4k.jpg",
            "brick_wall_001_nor_gl_4k.exr",
            "brick_wall_001_nor_dx_4k.exr",
            "brick_wall_001_rough_4k.exr",
            "brick_wall_001_arm_4k.jpg",
            "brick_wall_001_disp_4k.png",
            "brick_wall_001_ao_4k.jpg",
            "brick_wall_001_spec_4k.jpg",
            "brick_wall_001_bump_4k.jpg",
            "brick_wall_001_rough_ao_4k.jpg",
            "brick_wall_001_metal_4k.jpg",
            "brick_wall_001_translucent_4k.jpg",
            "brick_wall_001_mask_4k.png",
        ],
        {
            "brick_wall_001": {
                "brick_wall_001_diff_4k.jpg": "base_color",
                "brick_wall_001_nor_gl_4k.exr": "normal/opengl",
                "brick_wall_001_nor_dx_4k.exr": "normal/directx",
                "brick_wall_001_rough_4k.exr": "roughness",
                "brick_wall_001_arm_4k.jpg": "orm",
                "brick_wall_001_disp_4k.png": "height",
                "brick_wall_001_ao_4k.jpg": "ambient_occlusion",
                "brick_wall_001_spec_4k.jpg": "specular",
                "brick_wall_001_bump_4k.jpg": "bump",
                "brick_wall_001_rough_ao_4k.jpg": "other",
                "brick_wall_001_metal_4k.jpg": "metallic",
                "brick_wall_001_translucent_4k.jpg": "transmission",
                "brick_wall_001_mask_4k.png": "opacity",
            }
        },
    ),
    "Megascans": (
        [
            "rock_sandstone_S_wbkmcbz_4K_Albedo.jpg",
            "rock_sandstone_S_wbkmcbz_4K_Normal.jpg",
            "rock_sandstone_S_wbkmcbz_4K_Roughness.jpg",
            "rock_sandstone_S_wbkmcbz_4K_Cavity.jpg",
            "rock_sandstone_S_wbkmcbz_4K_Displacement.exr",
            "rock_sandstone_S_wbkmcbz_4K_AO.jpg",
            "rock_sandstone_S_wbkmcbz_4K_Gloss.jpg",
            "rock_sandstone_S_wbkmcbz_4K_Specular.jpg",
        ],
        {
            "rock_sandstone_S_wbkmcbz": {
                "rock_sandstone_S_wbkmcbz_4K_Albedo.jpg": "base_color",
                "rock_sandstone_S_wbkmcbz_4K_Normal.jpg": "normal",
                "rock_sandstone_S_wbkmcbz_4K_Roughness.jpg": "roughness",
                "rock_sandstone_S_wbkmcbz_4K_Cavity.jpg": "other",
                "rock_sandstone_S_wbkmcbz_4K_Displacement.exr": "height",
                "rock_sandstone_S_wbkmcbz_4K_AO.jpg": "ambient_occlusion",
                "rock_sandstone_S_wbkmcbz_4K_Gloss.jpg": "glossiness",
                "rock_sandstone_S_wbkmcbz_4K_Specular.jpg": "specular",
            }
        },
    ),
    "Substance Painter, Unreal preset": (
        [
            "Robot_Body_BaseColor.png",
            "Robot_Body_Normal.png",
            "Robot_Body_OcclusionRoughnessMetallic.png",
            "Robot_Body_Emissive.png",
            "Robot_Head_BaseColor.png",
            "Robot_Head_Normal.png",
        ],
        {
            "Robot_Body": {
                "Robot_Body_BaseColor.png": "base_color",
                "Robot_Body_Normal.png": "normal",
                "Robot_Body_OcclusionRoughnessMetallic.png": "orm",
                "Robot_Body_Emissive.png": "emissive",
            },
            "Robot_Head": {"Robot_Head_BaseColor.png": "base_color", "Robot_Head_Normal.png": "normal"},
        },
    ),
    "Substance Painter, Unity preset": (
        [
            "Crate_AlbedoTransparency.png",
            "Crate_MetallicSmoothness.png",
            "Crate_Normal.png",
            "Crate_Emission.png",
        ],
        {
            "Crate": {
                "Crate_AlbedoTransparency.png": "base_color",
                "Crate_MetallicSmoothness.png": "metallic",
                "Crate_Normal.png": "normal",
                "Crate_Emission.png": "emissive",
            }
        },
    ),
    "Unreal prefixes": (
        ["T_Rock_D.tga", "T_Rock_N.tga", "T_Rock_R.tga", "T_Rock_M.tga"],
        {
            "Rock": {
                "T_Rock_D.tga": "base_color",
                "T_Rock_N.tga": "normal",
                "T_Rock_R.tga": "roughness",
                "T_Rock_M.tga": "metallic",
            }
        },
    ),
    "camelCase": (
        ["rockAlbedo.png", "rockNormalOpenGL.png", "rockRoughness.png", "rockAmbientOcclusion.png"],
        {
            "rock": {
                "rockAlbedo.png": "base_color",
                "rockNormalOpenGL.png": "normal/opengl",
                "rockRoughness.png": "roughness",
                "rockAmbientOcclusion.png": "ambient_occlusion",
            }
        },
    ),
    "old CC0 Textures": (
        [
            "Bricks01_col.jpg",
            "Bricks01_nrm.jpg",
            "Bricks01_rgh.jpg",
            "Bricks01_disp.jpg",
            "Bricks01_AO.jpg",
            "Metal03_met.jpg",
            "Metal03_col.jpg",
        ],
        {
            "Bricks01": {
                "Bricks01_col.jpg": "base_color",
                "Bricks01_nrm.jpg": "normal",
                "Bricks01_rgh.jpg": "roughness",
                "Bricks01_disp.jpg": "height",
                "Bricks01_AO.jpg": "ambient_occlusion",
            },
            "Metal03": {"Metal03_met.jpg": "metallic", "Metal03_col.jpg": "base_color"},
        },
    ),
    "FreePBR": (
        [
            "older-padded-leather_albedo.png",
            "older-padded-leather_normal-ogl.png",
            "older-padded-leather_roughness.png",
            "older-padded-leather_metallic.png",
            "older-padded-leather_ao.png",
            "older-padded-leather_height.png",
        ],
        {
            "older-padded-leather": {
                "older-padded-leather_albedo.png": "base_color",
                "older-padded-leather_normal-ogl.png": "normal/opengl",
                "older-padded-leather_roughness.png": "roughness",
                "older-padded-leather_metallic.png": "metallic",
                "older-padded-leather_ao.png": "ambient_occlusion",
                "older-padded-leather_height.png": "height",
            }
        },
    ),
    "Textures.com": (
        [
            "TexturesCom_Wall_Stone_1K_albedo.tif",
            "TexturesCom_Wall_Stone_1K_normal.tif",
            "TexturesCom_Wall_Stone_1K_height.tif",
            "TexturesCom_Wall_Stone_1K_roughness.tif",
        ],
        {
            "TexturesCom_Wall_Stone": {
                "TexturesCom_Wall_Stone_1K_albedo.tif": "base_color",
                "TexturesCom_Wall_Stone_1K_normal.tif": "normal",
                "TexturesCom_Wall_Stone_1K_height.tif": "height",
                "TexturesCom_Wall_Stone_1K_roughness.tif": "roughness",
            }
        },
    ),
    "glTF export": (
        [
            "Helmet_baseColor.png",
            "Helmet_metallicRoughness.png",
            "Helmet_normal.png",
            "Helmet_occlusion.png",
            "Helmet_emissive.png",
        ],
        {
            "Helmet": {
                "Helmet_baseColor.png": "base_color",
                "Helmet_metallicRoughness.png": "orm",
                "Helmet_normal.png": "normal",
                "Helmet_occlusion.png": "ambient_occlusion",
                "Helmet_emissive.png": "emissive",
            }
        },
    ),
    "a material named after a role word": (
        [
            "rusty_metal_albedo.png",
            "rusty_metal_metallic.png",
            "rusty_metal_normal_dx.png",
            "rusty_metal_roughness.png",
        ],
        {
            "rusty_metal": {
                "rusty_metal_albedo.png": "base_color",
                "rusty_metal_metallic.png": "metallic",
                "rusty_metal_normal_dx.png": "normal/directx",
                "rusty_metal_roughness.png": "roughness",
            }
        },
    ),
}


@pytest.mark.parametrize("library", list(LIBRARIES))
def test_library_layouts_group_every_map_with_its_role(library):
    names, expected = LIBRARIES[library]
    assert layout(group_files([f"/lib/set/{n}" for n in names])) == expected


def test_bare_role_names_make_one_material_named_after_the_folder():
    names = ["albedo.jpg", "normal_gl.png", "roughness.jpg", "ao.png", "height.exr"]
    groups = group_files([f"/lib/Weathered Planks/{n}" for n in names])
    assert layout(groups) == {
        "Weathered Planks": {
            "albedo.jpg": "base_color",
            "normal_gl.png": "normal/opengl",
            "roughness.jpg": "roughness",
            "ao.png": "ambient_occlusion",
            "height.exr": "height",
        }
    }
    assert "folder names the material" in groups[0].why


def test_two_resolutions_in_one_folder_make_one_material_each():
    names = [f"rock_{role}_{res}.jpg" for res in ("2k", "4k") for role in ("diff", "nor_gl", "rough")]
    assert layout(group_files([f"/x/{n}" for n in names])) == {
        "rock 2k": {
            "rock_diff_2k.jpg": "base_color",
            "rock_nor_gl_2k.jpg": "normal/opengl",
            "rock_rough_2k.jpg": "roughness",
        },
        "rock 4k": {
            "rock_diff_4k.jpg": "base_color",
            "rock_nor_gl_4k.jpg": "normal/opengl",
            "rock_rough_4k.jpg": "roughness",
        },
    }


def test_files_without_a_role_and_other_folders_stay_apart():
    groups = group_files(["/a/photo.png", "/a/brick_albedo.png", "/b/brick_normal.png", "/a/notes_final.png"])
    assert [(g.name, len(g.maps)) for g in groups] == [("brick", 1), ("brick", 1)]
    assert groups[0].key != groups[1].key  # the same stem in two folders is two materials


def test_grouping_is_deterministic_and_explained():
    names, _ = LIBRARIES["Poly Haven"]
    paths = [f"/lib/set/{n}" for n in names]
    first = group_files(paths)
    shuffled = paths[:]
    random.Random(4).shuffle(shuffled)
    assert group_files(shuffled + paths[:3]) == first
    why = {m.original_path.rsplit("/", 1)[-1]: m.why for m in first[0].maps}
    assert (
        why["brick_wall_001_nor_gl_4k.exr"]
        == "brick_wall_001_nor_gl_4k.exr: 'nor' + 'gl' -> normal (opengl); dropped '4k'"
    )
    assert "share the stem 'brick_wall_001'" in first[0].why


@pytest.mark.parametrize(
    "name, stem, role, convention",
    [
        ("Bricks076C_2K-PNG_NormalDX.png", "bricks076c", "normal", "directx"),
        ("Wood_Floor_4096_Diffuse.png", "wood floor", "base_color", None),
        ("wood_floor_diffuse_v02.png", "wood floor", "base_color", None),
        ("4K_Brick_Albedo.png", "brick", "base_color", None),
        ("Albedo_Brick.png", "brick", "base_color", None),
        ("Mat_Mixed_AO.png", "mat", "ambient_occlusion", None),
        ("Rock_MaskMap.png", "rock", "other", None),
        ("metal.png", "", "metallic", None),
        ("photo.png", "photo", None, None),
        ("Bricks076C.png", "bricks076c", None, None),
    ],
)
def test_reading_one_name(name, stem, role, convention):
    reading = read_name(f"/x/{name}")
    assert (reading.stem_key, reading.role, reading.normal_convention) == (stem, role, convention)


# Public libraries' published layouts (as their downloads name files), one folder each.
LIBRARY_SETS = {
    "/lib/polyhaven/brick_wall_001": [
        ("brick_wall_001_diff_4k.jpg", "base_color"),
        ("brick_wall_001_nor_gl_4k.exr", "normal"),
        ("brick_wall_001_rough_4k.exr", "roughness"),
        ("brick_wall_001_arm_4k.jpg", "orm"),
        ("brick_wall_001_disp_4k.png", "height"),
        ("brick_wall_001_ao_4k.jpg", "ambient_occlusion"),
        ("brick_wall_001_spec_4k.jpg", "specular"),
        ("brick_wall_001_bump_4k.png", "bump")],
    "/lib/megascans/rock_cliff_vdqmbbj": [
        ("rock_cliff_vdqmbbj_4K_Albedo.jpg", "base_color"),
        ("rock_cliff_vdqmbbj_4K_Normal_LOD0.jpg", "normal"),
        ("rock_cliff_vdqmbbj_4K_Roughness.jpg", "roughness"),
        ("rock_cliff_vdqmbbj_4K_AO.jpg", "ambient_occlusion"),
        ("rock_cliff_vdqmbbj_4K_Displacement.exr", "height"),
        ("rock_cliff_vdqmbbj_4K_Gloss.jpg", "glossiness"),
        ("rock_cliff_vdqmbbj_4K_Opacity.jpg", "opacity")],
    "/lib/poliigon/WoodFineVeneer001": [
        ("WoodFineVeneer001_COL_VAR1_3K.jpg", "base_color"),
        ("WoodFineVeneer001_COL_VAR2_3K.jpg", "base_color"),
        ("WoodFineVeneer001_NRM_3K.jpg", "normal"),
        ("WoodFineVeneer001_NRM16_3K.tif", "normal"),
        ("WoodFineVeneer001_GLOSS_3K.jpg", "glossiness"),
        ("WoodFineVeneer001_DISP16_3K.tif", "height"),
        ("WoodFineVeneer001_BUMP16_3K.tif", "bump"),
        ("WoodFineVeneer001_AO_3K.jpg", "ambient_occlusion")],
    "/lib/freepbr/bamboo": [
        ("bamboo-wood-semigloss-albedo.png", "base_color"),
        ("bamboo-wood-semigloss-normal.png", "normal"),
        ("bamboo-wood-semigloss-ao.png", "ambient_occlusion"),
        ("bamboo-wood-semigloss-metal.png", "metallic"),
        ("bamboo-wood-semigloss-roughness.png", "roughness"),
        ("bamboo-wood-semigloss-height.png", "height")],
    "/ue/Rock": [("T_Rock_BC.png", "base_color"),
        ("T_Rock_N.png", "normal"),
        ("T_Rock_R.png", "roughness"),
                 ("T_Rock_M.png", "metallic"),
        ("T_Rock_E.png", "emissive"),
        ("T_Rock_H.png", "height")],
}


@pytest.mark.parametrize("folder", sorted(LIBRARY_SETS))
def test_public_library_layouts_make_one_material_with_every_role(folder):
    files = LIBRARY_SETS[folder]
    (group,) = group_files([f"{folder}/{name}" for name, _ in files])
    assert {m.original_path: m.role for m in group.maps} == {f"{folder}/{n}": role for n, role in files}


def test_a_2k_and_a_4k_set_in_one_folder_still_split_by_resolution():
    names = [f"/lib/s/Rock_{res}_{role}.png" for res in ("2K", "4K") for role in ("Color", "Normal")]
    groups = group_files(names)
    assert sorted(g.name for g in groups) == ["Rock 2K", "Rock 4K"]
